package dev.nightjar.deploy.chart;

/** A values profile of the chart: profiles/NAME.yaml layered over values.yaml. */
public enum Profile {
    MINIMAL("minimal"),
    PRODUCTION("production"),
    EXTERNAL("external");

    private final String fileName;

    Profile(String name) {
        this.fileName = name + ".yaml";
    }

    public String fileName() {
        return fileName;
    }
}
