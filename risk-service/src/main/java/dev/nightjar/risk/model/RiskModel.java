package dev.nightjar.risk.model;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.risk.features.Features;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The fraud model at inference: the logistic regression folded back onto raw features, so a score is one
 * dot product of {@link Features#COUNT} numbers, with no allocation. Loaded from {@code model.json}, which
 * {@link TrainModel} writes; a file trained for other features is refused rather than misread.
 */
public final class RiskModel {

    /** Where the committed model sits on the class path. */
    public static final String RESOURCE = "dev/nightjar/risk/model.json";

    private final ModelFile file;
    private final double[] means;
    /** Weight per raw unit of each feature: w / scale. */
    private final double[] rawWeights;
    /** The log-odds of a payment whose every feature is zero. */
    private final double rawBias;

    public RiskModel(ModelFile file) {
        if (file.formatVersion() != ModelFile.FORMAT_VERSION) {
            throw new IllegalArgumentException("model format " + file.formatVersion() + " is not " + ModelFile.FORMAT_VERSION);
        }
        if (!Features.NAMES.equals(file.features())) {
            throw new IllegalArgumentException("model " + file.version() + " was trained for features " + file.features()
                    + ", the service computes " + Features.NAMES);
        }
        int d = Features.COUNT;
        if (file.means().length != d || file.scales().length != d || file.weights().length != d) {
            throw new IllegalArgumentException("model " + file.version() + " needs " + d + " means, scales and weights");
        }
        this.file = file;
        this.means = file.means().clone();
        this.rawWeights = new double[d];
        double bias = file.bias();
        for (int j = 0; j < d; j++) {
            if (!(file.scales()[j] > 0) || !Double.isFinite(file.weights()[j]) || !Double.isFinite(file.means()[j])) {
                throw new IllegalArgumentException("model " + file.version() + " has an invalid number for " + file.features().get(j));
            }
            rawWeights[j] = file.weights()[j] / file.scales()[j];
            bias -= rawWeights[j] * means[j];
        }
        this.rawBias = bias;
    }

    public static RiskModel fromClasspath() {
        try (InputStream in = RiskModel.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: train one with ./nightjar risk train");
            }
            return fromJson(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RiskModel fromJson(byte[] json) {
        return new RiskModel(Json.MAPPER.readValue(json, ModelFile.class));
    }

    public byte[] toJson() {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
    }

    public ModelFile file() {
        return file;
    }

    public String version() {
        return file.version();
    }

    /** The model's log-odds of fraud for features {@code x}. */
    public double logit(double[] x) {
        double z = rawBias;
        for (int j = 0; j < rawWeights.length; j++) {
            z += rawWeights[j] * x[j];
        }
        return z;
    }

    public double probability(double[] x) {
        return LogisticRegression.sigmoid(logit(x));
    }

    /** The 0-100 score of features {@code x}, through the model's score mapping. */
    public int score(double[] x) {
        return file.scoreMapping().score(logit(x));
    }

    /** How far feature {@code j} moves the log-odds away from those of an average training payment. */
    public double contribution(int j, double[] x) {
        return rawWeights[j] * (x[j] - means[j]);
    }
}
