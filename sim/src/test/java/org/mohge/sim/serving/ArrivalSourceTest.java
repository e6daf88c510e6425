package org.mohge.sim.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.mohge.sim.InputFileException;
import org.junit.jupiter.api.io.TempDir;

/** Arrival processes against their definitions: mean gap 1 / rate, coefficient of variation of the gaps. */
class ArrivalSourceTest {
    @TempDir
    Path dir;

    private static double[] gapStats(ServingSpec spec, int n) {
        ArrivalSource src = ArrivalSource.of(spec, 21, null);
        long last = 0;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            Arrival a = src.next();
            double gapS = (a.timeNs() - last) / 1e9;
            last = a.timeNs();
            sum += gapS;
            sumSq += gapS * gapS;
        }
        assertThat(src.next()).as("stops after requests").isNull();
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        return new double[] {mean, sd / mean};
    }

    private static ServingSpec spec(ArrivalSpec arrivals, long n) {
        return new ServingSpec(arrivals, new LengthSpec.Fixed(10), new LengthSpec.Uniform(1, 3), n, null, null, null,
                null, null, null, null, null);
    }

    @Test
    void poissonGapsAreExponential() {
        double[] s = gapStats(spec(new ArrivalSpec.Poisson(8), 200_000), 200_000);
        assertThat(s[0]).isCloseTo(0.125, Percentage.withPercentage(1));
        assertThat(s[1]).isCloseTo(1.0, Offset.offset(0.01));
    }

    @Test
    void gammaGapsHaveTheRateAndTheBurstiness() {
        double[] s = gapStats(spec(new ArrivalSpec.Gamma(5, 3), 400_000), 400_000);
        assertThat(s[0]).isCloseTo(0.2, Percentage.withPercentage(2));
        assertThat(s[1]).isCloseTo(3.0, Offset.offset(0.08));
        double[] smooth = gapStats(spec(new ArrivalSpec.Gamma(5, 0.5), 200_000), 200_000);
        assertThat(smooth[1]).isCloseTo(0.5, Offset.offset(0.01));
    }

    @Test
    void durationCutsTheStream() {
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Poisson(100), new LengthSpec.Fixed(10),
                new LengthSpec.Fixed(1), 1_000_000L, 10.0, null, null, null, null, null, null, null);
        ArrivalSource src = ArrivalSource.of(spec, 3, null);
        int n = 0;
        Arrival a;
        while ((a = src.next()) != null) {
            assertThat(a.timeNs()).isLessThanOrEqualTo(10_000_000_000L);
            n++;
        }
        // 100 req/s for 10 s: 1,000 expected, standard deviation about 32.
        assertThat(n).isBetween(900, 1100);
    }

    @Test
    void jsonlTraceWithPrefixHits() throws IOException {
        Path t = dir.resolve("t.jsonl");
        Files.writeString(t, "{\"arrivalTimeMs\": 1.5, \"promptTokens\": 100, \"outputTokens\": 7, \"cachedTokens\": 64}\n"
                + "\n{\"arrivalTimeMs\": 2, \"promptTokens\": 5, \"outputTokens\": 1}\n");
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Trace(t.toString()), null, null, null, null, null, null,
                null, null, null, null, null);
        ArrivalSource src = ArrivalSource.of(spec, 1, null);
        assertThat(src.next()).isEqualTo(new Arrival(1_500_000, 100, 7, 64));
        assertThat(src.next()).isEqualTo(new Arrival(2_000_000, 5, 1, 0));
        assertThat(src.next()).isNull();
    }

    @Test
    void tracesNameTheSharedPrefix() throws IOException {
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, "arrivalTimeMs,promptTokens,outputTokens,cachedTokens,prefixId\n0,100,7,64,3\n"
                + "1,90,2,0,0\n");
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Trace(csv.toString()), null, null, null, null, null, null,
                null, null, null, null, null);
        ArrivalSource src = ArrivalSource.of(spec, 1, null);
        assertThat(src.next()).isEqualTo(new Arrival(0, 100, 7, 64, 3));
        assertThat(src.next()).isEqualTo(new Arrival(1_000_000, 90, 2, 0, 0));
        Path jsonl = dir.resolve("p.jsonl");
        Files.writeString(jsonl, "{\"arrivalTimeMs\": 0, \"promptTokens\": 100, \"outputTokens\": 7, "
                + "\"cachedTokens\": 64, \"prefixId\": 0}\n{\"arrivalTimeMs\": 1, \"promptTokens\": 9, "
                + "\"outputTokens\": 1, \"prefixId\": -2}\n");
        ArrivalSource j = ArrivalSource.of(spec.withArrivals(new ArrivalSpec.Trace(jsonl.toString())), 1, null);
        // prefixId 0 given is a prefix; absent is none (-1)
        assertThat(j.next()).isEqualTo(new Arrival(0, 100, 7, 64, 0));
        org.assertj.core.api.Assertions.assertThatThrownBy(j::next).isInstanceOf(InputFileException.class)
                .hasMessage(jsonl + ": line 2 prefixId must be a whole number >= 0, got -2.0");
    }

    @Test
    void lengthsSampledFromATraceTakeOnlyItsValues() throws IOException {
        Path t = dir.resolve("lengths.csv");
        Files.writeString(t, "arrivalTimeMs,promptTokens,outputTokens\n0,100,7\n1,300,9\n2,500,11\n");
        ServingSpec spec = new ServingSpec(new ArrivalSpec.Poisson(10), new LengthSpec.Sampled("lengths.csv"),
                new LengthSpec.Sampled("lengths.csv"), 3000L, null, null, null, null, null, null, null, null);
        ArrivalSource src = ArrivalSource.of(spec, 4, dir);
        int[] promptCounts = new int[3];
        Arrival a;
        while ((a = src.next()) != null) {
            int i = (a.promptTokens() - 100) / 200;
            assertThat(a.promptTokens()).isIn(100, 300, 500);
            assertThat(a.outputTokens()).isIn(7, 9, 11);
            promptCounts[i]++;
        }
        // Each row equally likely: 1,000 of 3,000 each, standard deviation about 26.
        for (int c : promptCounts) {
            assertThat(c).isBetween(900, 1100);
        }
    }
}
