package org.mohge.sim.serving;

import java.util.SplittableRandom;

/** Poisson or Gamma renewal arrivals with lengths drawn from {@link LengthSpec}s. */
final class SyntheticArrivalSource implements ArrivalSource {
    private final double meanGapNs;
    /** Gamma shape {@code 1 / burstiness^2}; 0 for exponential gaps. */
    private final double gammaShape;
    private final Sampler prompt;
    private final Sampler output;
    private final SplittableRandom rng;
    private double clockNs;

    /** Draws one length. */
    @FunctionalInterface
    interface Sampler {
        int draw(SplittableRandom rng);
    }

    SyntheticArrivalSource(ArrivalSpec arrivals, Sampler prompt, Sampler output, SplittableRandom rng) {
        if (arrivals instanceof ArrivalSpec.Poisson p) {
            meanGapNs = 1e9 / p.ratePerSecond();
            gammaShape = 0;
        } else if (arrivals instanceof ArrivalSpec.Gamma g) {
            meanGapNs = 1e9 / g.ratePerSecond();
            gammaShape = 1 / (g.burstiness() * g.burstiness());
        } else {
            throw new IllegalArgumentException("not a synthetic arrival process: " + arrivals);
        }
        this.prompt = prompt;
        this.output = output;
        this.rng = rng;
    }

    @Override
    public Arrival next() {
        double gap;
        if (gammaShape == 0) {
            gap = -Math.log(1.0 - rng.nextDouble()) * meanGapNs;
        } else {
            gap = Gaussian.gamma(rng, gammaShape) / gammaShape * meanGapNs;
        }
        clockNs += gap;
        return new Arrival(Math.round(clockNs), prompt.draw(rng), output.draw(rng), 0);
    }
}
