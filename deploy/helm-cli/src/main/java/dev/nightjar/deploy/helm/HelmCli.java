package dev.nightjar.deploy.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code ./helmw}: {@code helm lint} and {@code helm template} with helm's own arguments, run by real Helm 3
 * (helm-java's embedded library) where there is no helm binary. Commands that need a cluster
 * ({@code install}, {@code upgrade}, ...) are refused with a pointer to the helm binary.
 *
 * <p>helm-java's lint takes no values, so {@code lint} with {@code -f}/{@code --set} lints the chart with its
 * defaults and then renders it with the given values, which checks them against {@code values.schema.json}
 * and runs every template: what {@code helm lint -f} checks besides the chart's own files.
 */
public final class HelmCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;

    public HelmCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new HelmCli(System.out, System.err).run(args));
    }

    /** Runs one command; returns the exit status helm would. */
    public int run(String... args) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(usage());
            return USAGE;
        }
        return switch (arguments.command()) {
            case "lint" -> lint(arguments);
            case "template" -> template(arguments);
            case "help", "--help", "-h" -> {
                out.println(usage());
                yield OK;
            }
            default -> {
                err.println("Error: ./helmw runs only `lint` and `template` (Helm 3 through helm-java, no cluster); `helm "
                        + arguments.command() + "` needs the helm binary and a Kubernetes cluster.");
                yield USAGE;
            }
        };
    }

    private int lint(Arguments arguments) {
        if (arguments.positional().size() != 1) {
            err.println("Error: lint takes one chart directory, got " + arguments.positional());
            return USAGE;
        }
        Path chart = Path.of(arguments.positional().getFirst());
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            err.println("Error: no Chart.yaml in " + chart);
            return FAILED;
        }
        out.println("==> Linting " + chart);
        LintCommand lint = new Helm(chart).lint();
        if (arguments.strict()) {
            lint = lint.strict();
        }
        LintResult result = lint.call();
        result.getMessages().forEach(out::println);
        boolean failed = result.isFailed();
        if (!failed && arguments.hasValues()) {
            try {
                render(arguments, chart, "nightjar-lint", "default");
                out.println("[INFO] values: " + arguments.describeValues() + " pass values.schema.json and render");
            } catch (RuntimeException e) {
                out.println("[ERROR] values: " + arguments.describeValues() + ": " + e.getMessage());
                failed = true;
            }
        }
        out.println();
        out.println("1 chart(s) linted, " + (failed ? 1 : 0) + " chart(s) failed");
        return failed ? FAILED : OK;
    }

    private int template(Arguments arguments) {
        List<String> positional = arguments.positional();
        if (positional.isEmpty() || positional.size() > 2) {
            err.println("Error: template takes [NAME] CHART, got " + positional);
            return USAGE;
        }
        String name = positional.size() == 2 ? positional.get(0) : "release-name";
        Path chart = Path.of(positional.getLast());
        try {
            out.print(render(arguments, chart, name, arguments.namespace()));
            return OK;
        } catch (RuntimeException e) {
            err.println("Error: " + e.getMessage());
            return FAILED;
        }
    }

    private static String render(Arguments arguments, Path chart, String name, String namespace) {
        TemplateCommand template = new Helm(chart).template().withName(name).withNamespace(namespace);
        for (Path file : arguments.valuesFiles()) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("open " + file + ": no such file");
            }
            template = template.withValuesFile(file);
        }
        for (String[] set : arguments.sets()) {
            template = template.set(set[0], set[1]);
        }
        if (arguments.kubeVersion() != null) {
            template = template.withKubeVersion(arguments.kubeVersion());
        }
        return template.call();
    }

    static String usage() {
        return """
                Usage: ./helmw lint [--strict] CHART [-f VALUES]... [--set KEY=VALUE[,KEY=VALUE]]...
                       ./helmw template [NAME] CHART [-n NAMESPACE] [-f VALUES]... [--set KEY=VALUE]... [--kube-version V]
                Helm 3 through helm-java, for machines without the helm binary; with helm installed, `helm` takes the
                same arguments.""";
    }

    /** helm's flags for lint and template, in any order around the positional arguments. */
    record Arguments(String command, List<String> positional, boolean strict, String namespace,
            List<Path> valuesFiles, List<String[]> sets, String kubeVersion) {

        static Arguments parse(List<String> args) {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("no command");
            }
            List<String> positional = new ArrayList<>();
            List<Path> values = new ArrayList<>();
            List<String[]> sets = new ArrayList<>();
            boolean strict = false;
            String namespace = "default";
            String kubeVersion = null;
            Iterator<String> rest = args.subList(1, args.size()).iterator();
            while (rest.hasNext()) {
                String arg = rest.next();
                int equals = arg.startsWith("--") ? arg.indexOf('=') : -1;
                String flag = equals < 0 ? arg : arg.substring(0, equals);
                switch (flag) {
                    case "--strict" -> strict = true;
                    case "-f", "--values" -> values.add(Path.of(value(arg, equals, rest)));
                    case "-n", "--namespace" -> namespace = value(arg, equals, rest);
                    case "--set", "--set-string" -> sets.addAll(splitSets(value(arg, equals, rest)));
                    case "--kube-version" -> kubeVersion = value(arg, equals, rest);
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown flag " + arg);
                        }
                        positional.add(arg);
                    }
                }
            }
            return new Arguments(args.getFirst(), List.copyOf(positional), strict, namespace, List.copyOf(values),
                    List.copyOf(sets), kubeVersion);
        }

        /** The flag's value: after its {@code =}, else the next argument. */
        private static String value(String arg, int equals, Iterator<String> rest) {
            if (equals >= 0) {
                return arg.substring(equals + 1);
            }
            if (!rest.hasNext()) {
                throw new IllegalArgumentException("flag needs an argument: " + arg);
            }
            return rest.next();
        }

        /** {@code a=1,b.c=2} into pairs; {@code \,} keeps a comma in a value, as helm does. */
        static List<String[]> splitSets(String expression) {
            List<String[]> pairs = new ArrayList<>();
            for (String pair : expression.split("(?<!\\\\),")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new IllegalArgumentException("--set " + expression + ": expected KEY=VALUE");
                }
                pairs.add(new String[] {pair.substring(0, equals), pair.substring(equals + 1).replace("\\,", ",")});
            }
            return pairs;
        }

        boolean hasValues() {
            return !valuesFiles.isEmpty() || !sets.isEmpty();
        }

        String describeValues() {
            List<String> parts = new ArrayList<>();
            valuesFiles.forEach(file -> parts.add("-f " + file));
            sets.forEach(set -> parts.add("--set " + set[0] + "=" + set[1]));
            return String.join(" ", parts);
        }
    }
}
