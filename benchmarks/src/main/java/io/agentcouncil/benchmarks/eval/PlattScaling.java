package io.agentcouncil.benchmarks.eval;

/**
 * Platt scaling, {@code c = sigmoid(a * logit(raw) + b)}: the calibration
 * {@link io.agentcouncil.confidence.TokenProbabilityEstimator#calibrated(double, double)} applies,
 * fitted here by logistic regression of the outcome on {@code logit(raw)}.
 *
 * @param a the slope on {@code logit(raw)}; 1 with {@code b = 0} changes nothing
 * @param b the intercept
 */
public record PlattScaling(double a, double b) {

    /** The clamp the estimator applies before the logit, so a fitted pair means the same there. */
    static final double EPS = 1e-9;

    private static final int MAX_ITERATIONS = 100;

    public static PlattScaling identity() {
        return new PlattScaling(1, 0);
    }

    /**
     * The maximum-likelihood {@code (a, b)} for {@code raw} scores and outcomes, by Newton's
     * method with a backtracking line search. The targets are Platt's smoothed ones,
     * {@code (n+ + 1) / (n+ + 2)} for a correct answer and {@code 1 / (n- + 2)} for a wrong one,
     * rather than 1 and 0: on a small set the scores can separate the classes perfectly, and
     * the plain likelihood then has no finite maximum.
     */
    public static PlattScaling fit(double[] raw, boolean[] positive) {
        int n = raw.length;
        if (positive.length != n) {
            throw new IllegalArgumentException(n + " scores but " + positive.length + " labels");
        }
        double[] x = new double[n];
        double[] t = new double[n];
        int nPos = 0;
        for (boolean p : positive) {
            nPos += p ? 1 : 0;
        }
        double hi = (nPos + 1.0) / (nPos + 2.0);
        double lo = 1.0 / (n - nPos + 2.0);
        for (int i = 0; i < n; i++) {
            x[i] = logit(raw[i]);
            t[i] = positive[i] ? hi : lo;
        }
        double a = 0;
        double b = Math.log((nPos + 1.0) / (n - nPos + 1.0));
        double loss = loss(x, t, a, b);
        for (int iter = 0; iter < MAX_ITERATIONS; iter++) {
            double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12; // a tiny ridge keeps H invertible
            for (int i = 0; i < n; i++) {
                double p = sigmoid(a * x[i] + b);
                double d = p - t[i];
                double w = p * (1 - p);
                ga += d * x[i];
                gb += d;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            if (Math.abs(ga) < 1e-10 && Math.abs(gb) < 1e-10) {
                break;
            }
            double det = haa * hbb - hab * hab;
            double da = -(hbb * ga - hab * gb) / det;
            double db = -(haa * gb - hab * ga) / det;
            double step = 1;
            double next = loss(x, t, a + da, b + db);
            while (next > loss && step > 1e-10) { // Newton can overshoot far from the optimum
                step /= 2;
                next = loss(x, t, a + step * da, b + step * db);
            }
            if (next > loss) {
                break;
            }
            a += step * da;
            b += step * db;
            boolean converged = loss - next < 1e-12 * Math.max(1, Math.abs(loss));
            loss = next;
            if (converged) {
                break;
            }
        }
        return new PlattScaling(a, b);
    }

    /** The calibrated score of a raw one. */
    public double apply(double raw) {
        return sigmoid(a * logit(raw) + b);
    }

    public double[] apply(double[] raw) {
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = apply(raw[i]);
        }
        return out;
    }

    static double logit(double p) {
        double r = Math.min(1 - EPS, Math.max(EPS, p));
        return Math.log(r / (1 - r));
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Cross-entropy against the targets, computed without overflow for large |z|. */
    private static double loss(double[] x, double[] t, double a, double b) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = a * x[i] + b;
            // -[t log s(z) + (1-t) log(1 - s(z))] = log(1 + e^z) - t z
            double softplus = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
            sum += softplus - t[i] * z;
        }
        return sum;
    }
}
