package dev.nightjar.risk.model;

import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.features.Features;
import dev.nightjar.risk.model.FeatureReplay.Dataset;
import dev.nightjar.risk.model.TrafficGenerator.GeneratedPayment;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the fraud model from generated traffic, prints its evaluation and writes {@code model.json}.
 * Run it with {@code ./nightjar risk train} (which passes {@code --output} pointing into the sources).
 *
 * <pre>
 * --seed N              generator and training seed (default 20250301)
 * --days N              days of traffic (default 21), the first two only warm the features up
 * --merchants N         merchants (default 120)
 * --review-precision P  precision the review threshold is set to on the calibration slice (default 0.5)
 * --block-precision P   precision the block threshold is set to on the calibration slice (default 0.85)
 * --output FILE         where to write the model (default: print only)
 * </pre>
 *
 * <p>The split is by time, as the model meets the future in service: the first 70 % of the scored period
 * trains, the next 10 % places the thresholds, the last 20 % is the holdout every printed figure comes from.
 */
public final class TrainModel {

    public static final long DEFAULT_SEED = 20250301L;
    static final int REVIEW_SCORE = 65;
    static final int BLOCK_SCORE = 90;
    static final int BURN_IN_DAYS = 2;
    static final double TRAIN_SHARE = 0.7;
    static final double CALIBRATION_SHARE = 0.1;

    /** What to train on and how; {@link #defaults()} are the committed model's. */
    public record Settings(long seed, int days, int merchants, double reviewPrecision, double blockPrecision, Path output) {

        public static Settings defaults() {
            return new Settings(DEFAULT_SEED, 21, 120, 0.5, 0.85, null);
        }

        static Settings parse(String[] args) {
            Settings s = defaults();
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException("missing value after " + args[i]);
                }
                s = switch (args[i]) {
                    case "--seed" -> new Settings(Long.parseLong(value), s.days, s.merchants, s.reviewPrecision, s.blockPrecision, s.output);
                    case "--days" -> new Settings(s.seed, Integer.parseInt(value), s.merchants, s.reviewPrecision, s.blockPrecision, s.output);
                    case "--merchants" -> new Settings(s.seed, s.days, Integer.parseInt(value), s.reviewPrecision, s.blockPrecision, s.output);
                    case "--review-precision" -> new Settings(s.seed, s.days, s.merchants, Double.parseDouble(value), s.blockPrecision, s.output);
                    case "--block-precision" -> new Settings(s.seed, s.days, s.merchants, s.reviewPrecision, Double.parseDouble(value), s.output);
                    case "--output" -> new Settings(s.seed, s.days, s.merchants, s.reviewPrecision, s.blockPrecision, Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                };
                i++;
            }
            if (s.days <= BURN_IN_DAYS + 2) {
                throw new IllegalArgumentException("need more than " + (BURN_IN_DAYS + 2) + " days");
            }
            return s;
        }
    }

    private TrainModel() {
    }

    public static void main(String[] args) throws IOException {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("risk train: " + e.getMessage());
            System.exit(2);
            return;
        }
        RiskModel model = train(settings, System.out);
        if (settings.output() != null) {
            Path output = settings.output().toAbsolutePath();
            Files.createDirectories(output.getParent());
            Files.write(output, model.toJson());
            System.out.println("model " + model.version() + " written to " + output);
        }
    }

    /** Generates the data, trains, places the thresholds, evaluates on the holdout; prints as it goes. */
    public static RiskModel train(Settings settings, PrintStream out) {
        TrafficGenerator.Settings data = new TrafficGenerator.Settings(settings.seed(),
                TrafficGenerator.Settings.defaults(settings.seed()).start(), settings.days(), settings.merchants(), 0.04, 0.002);
        List<GeneratedPayment> payments = TrafficGenerator.generate(data);
        long fraudulent = payments.stream().filter(GeneratedPayment::fraud).count();
        long scoreFrom = data.start().toEpochMilli() + BURN_IN_DAYS * 86_400_000L;
        Dataset all = new FeatureReplay(new FeatureStore(FeatureReplay.UNBOUNDED)).replay(payments, scoreFrom);

        long end = data.start().toEpochMilli() + settings.days() * 86_400_000L;
        long trainEnd = scoreFrom + (long) ((end - scoreFrom) * TRAIN_SHARE);
        long calibrationEnd = scoreFrom + (long) ((end - scoreFrom) * (TRAIN_SHARE + CALIBRATION_SHARE));
        Dataset train = slice(all, Long.MIN_VALUE, trainEnd);
        Dataset calibration = slice(all, trainEnd, calibrationEnd);
        Dataset holdout = slice(all, calibrationEnd, Long.MAX_VALUE);

        out.printf("Nightjar risk model: logistic regression on %d features%n", Features.COUNT);
        out.printf("data: %,d payments over %d days at %d merchants (seed %d), %.2f %% fraudulent; labels flipped for %.0f %% of fraud and %.1f %% of legitimate payments%n",
                payments.size(), settings.days(), settings.merchants(), settings.seed(), 100.0 * fraudulent / payments.size(),
                100 * data.fraudLabelNoise(), 100 * data.legitimateLabelNoise());
        out.printf("split by time after %d warm-up days: train %,d (to %s), calibration %,d (to %s), holdout %,d (to %s)%n",
                BURN_IN_DAYS, train.size(), Instant.ofEpochMilli(trainEnd), calibration.size(),
                Instant.ofEpochMilli(calibrationEnd), holdout.size(), Instant.ofEpochMilli(end));

        LogisticRegression.Options options = LogisticRegression.Options.defaults(settings.seed());
        LogisticRegression.Fitted fitted = LogisticRegression.fit(train.rows(), train.labels(), options);
        out.printf("training: %d epochs of mini-batch SGD (batch %d, learning rate %.3g, momentum %.2g, L2 %.1g): loss %.5f%n",
                options.epochs(), options.batchSize(), options.learningRate(), options.momentum(), options.l2(),
                fitted.trainingLoss());

        RiskModel unmapped = new RiskModel(file(settings, data, fitted, ScoreMapping.identity(REVIEW_SCORE, BLOCK_SCORE),
                options, payments.size(), fraudulent, null));
        double[] calibrationProbabilities = probabilities(unmapped, calibration);
        double reviewProbability = Metrics.probabilityForPrecision(calibrationProbabilities, calibration.labels(),
                settings.reviewPrecision());
        double blockProbability = Math.max(Math.nextUp(reviewProbability), Metrics.probabilityForPrecision(
                calibrationProbabilities, calibration.labels(), settings.blockPrecision()));
        ScoreMapping mapping = ScoreMapping.through(REVIEW_SCORE, clampProbability(reviewProbability), BLOCK_SCORE,
                clampProbability(blockProbability));
        out.printf("score mapping: review (%d) from p >= %.4f (precision %.0f %% on calibration), block (%d) from p >= %.4f (precision %.0f %%)%n",
                REVIEW_SCORE, mapping.reviewProbability(), 100 * settings.reviewPrecision(), BLOCK_SCORE,
                mapping.blockProbability(), 100 * settings.blockPrecision());

        RiskModel mapped = new RiskModel(file(settings, data, fitted, mapping, options, payments.size(), fraudulent, null));
        ModelFile.Evaluation evaluation = evaluate(mapped, train.size(), calibration.size(), holdout, fitted.trainingLoss());
        RiskModel model = new RiskModel(file(settings, data, fitted, mapping, options, payments.size(), fraudulent, evaluation));
        print(model, holdout, out);
        return model;
    }

    static ModelFile.Evaluation evaluate(RiskModel model, long trainingExamples, long calibrationExamples, Dataset holdout,
                                         double trainingLoss) {
        double[] probabilities = probabilities(model, holdout);
        int[] scores = new int[holdout.size()];
        long positives = 0;
        for (int i = 0; i < holdout.size(); i++) {
            scores[i] = model.score(holdout.rows()[i]);
            positives += holdout.labels()[i] ? 1 : 0;
        }
        Map<String, Double> byPattern = new LinkedHashMap<>();
        for (TrafficGenerator.Pattern pattern : TrafficGenerator.Pattern.values()) {
            long total = 0;
            long flagged = 0;
            for (int i = 0; i < holdout.size(); i++) {
                if (holdout.patterns()[i] == pattern) {
                    total++;
                    flagged += scores[i] >= REVIEW_SCORE ? 1 : 0;
                }
            }
            if (total > 0) {
                byPattern.put(pattern.name().toLowerCase(java.util.Locale.ROOT), round((double) flagged / total));
            }
        }
        return new ModelFile.Evaluation(trainingExamples, calibrationExamples, holdout.size(), positives, round(trainingLoss),
                round(Metrics.rocAuc(probabilities, holdout.labels())),
                ModelFile.AtThreshold.of(Metrics.confusion(scores, holdout.labels(), REVIEW_SCORE)),
                ModelFile.AtThreshold.of(Metrics.confusion(scores, holdout.labels(), BLOCK_SCORE)), byPattern);
    }

    private static void print(RiskModel model, Dataset holdout, PrintStream out) {
        ModelFile.Evaluation e = model.file().evaluation();
        out.printf("holdout: %,d payments, %,d labelled fraudulent%n", e.holdoutExamples(), e.holdoutPositives());
        out.printf("  ROC AUC %.4f%n", e.auc());
        for (ModelFile.AtThreshold t : List.of(e.atReview(), e.atBlock())) {
            out.printf("  score >= %d (%s): precision %.3f, recall %.3f  (TP %,d  FP %,d  TN %,d  FN %,d)%n", t.score(),
                    t.score() == REVIEW_SCORE ? "review or block" : "block", t.precision(), t.recall(),
                    t.truePositives(), t.falsePositives(), t.trueNegatives(), t.falseNegatives());
        }
        out.println("  share flagged (score >= " + REVIEW_SCORE + ") by what the generator made:");
        e.recallAtReviewByPattern().forEach((pattern, share) -> out.printf("    %-22s %.3f%n", pattern, share));
        out.println("weights on standardized features (log-odds per standard deviation):");
        for (int j = 0; j < Features.COUNT; j++) {
            out.printf("    %-22s %+.3f%n", Features.NAMES.get(j), model.file().weights()[j]);
        }
        out.printf("    %-22s %+.3f%n", "(bias)", model.file().bias());
    }

    private static ModelFile file(Settings settings, TrafficGenerator.Settings data, LogisticRegression.Fitted fitted,
                                  ScoreMapping mapping, LogisticRegression.Options options, long payments, long fraudulent,
                                  ModelFile.Evaluation evaluation) {
        ModelFile.DataDescription description = new ModelFile.DataDescription(TrafficGenerator.class.getSimpleName(),
                data.start(), data.days(), data.merchants(), BURN_IN_DAYS, data.fraudLabelNoise(),
                data.legitimateLabelNoise(), payments, fraudulent,
                "by time: train 70 %, calibration 10 %, holdout 20 % of the days after warm-up");
        return new ModelFile(ModelFile.FORMAT_VERSION, version(settings.seed(), fitted, mapping), Instant.now(),
                settings.seed(), "logistic regression, mini-batch SGD with momentum, L2", Features.NAMES,
                fitted.means(), fitted.scales(), fitted.weights(), fitted.bias(), mapping, options, description, evaluation);
    }

    /** Names the weights: the seed and the first bytes of a SHA-256 over every number the model computes with. */
    static String version(long seed, LogisticRegression.Fitted fitted, ScoreMapping mapping) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer numbers = ByteBuffer.allocate(8 * (3 * fitted.weights().length + 3));
            for (double[] array : List.of(fitted.means(), fitted.scales(), fitted.weights())) {
                for (double value : array) {
                    numbers.putDouble(value);
                }
            }
            numbers.putDouble(fitted.bias()).putDouble(mapping.slope()).putDouble(mapping.intercept());
            digest.update(numbers.array());
            digest.update(String.join(",", Features.NAMES).getBytes(StandardCharsets.UTF_8));
            return "lr-s" + seed + "-" + HexFormat.of().formatHex(digest.digest(), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static double[] probabilities(RiskModel model, Dataset data) {
        double[] probabilities = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            probabilities[i] = model.probability(data.rows()[i]);
        }
        return probabilities;
    }

    private static Dataset slice(Dataset all, long fromMillis, long toMillis) {
        int from = 0;
        while (from < all.size() && all.times()[from] < fromMillis) {
            from++;
        }
        int to = from;
        while (to < all.size() && all.times()[to] < toMillis) {
            to++;
        }
        return new Dataset(java.util.Arrays.copyOfRange(all.rows(), from, to),
                java.util.Arrays.copyOfRange(all.labels(), from, to), java.util.Arrays.copyOfRange(all.fraud(), from, to),
                java.util.Arrays.copyOfRange(all.times(), from, to), java.util.Arrays.copyOfRange(all.patterns(), from, to));
    }

    private static double clampProbability(double p) {
        return Math.max(1e-6, Math.min(1 - 1e-6, p));
    }

    private static double round(double value) {
        return Double.isNaN(value) ? value : Math.round(value * 1e6) / 1e6;
    }
}
