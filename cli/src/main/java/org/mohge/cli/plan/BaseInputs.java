package org.mohge.cli.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mohge.cli.output.Digests;
import org.mohge.cli.scenario.PlacementResolver;
import org.mohge.cli.scenario.ScenarioSpec;
import org.mohge.costmodel.deploy.Placements;
import org.mohge.sim.serving.ArrivalSpec;
import org.mohge.sim.serving.LengthSpec;
import org.mohge.sim.serving.ServingSpec;

/**
 * The files a base scenario names besides itself (a placement map, load profile, co-activation
 * pairs, calibration profile, routing trace, serving traces), as one digest: a resumed sweep keeps
 * a finished point only when these are unchanged too, since its result depends on them.
 */
public final class BaseInputs {
    private BaseInputs() {
    }

    /** Each named file's path (as written) and content digest, "missing" where it is absent. */
    public static String digest(ScenarioSpec base, Path baseFile) {
        StringBuilder text = new StringBuilder();
        for (String name : names(base)) {
            Path file = PlacementResolver.resolveRelative(baseFile, name);
            String content;
            try {
                content = Files.isRegularFile(file) ? Digests.sha256(file) : "missing";
            } catch (IOException e) {
                content = "unreadable";
            }
            text.append(name).append('=').append(content).append('\n');
        }
        return text.toString();
    }

    private static List<String> names(ScenarioSpec base) {
        List<String> names = new ArrayList<>();
        String use = base.placement().use();
        if (!Placements.isBuiltIn(use)) {
            names.add(use);
        }
        addIfSet(names, base.placement().loadProfile());
        addIfSet(names, base.placement().coActivation());
        addIfSet(names, base.calibration());
        addIfSet(names, base.routing().tracePath());
        ServingSpec serving = base.serving();
        if (serving != null) {
            if (serving.arrivals() instanceof ArrivalSpec.Trace t) {
                names.add(t.path());
            }
            for (LengthSpec lengths : new LengthSpec[] {serving.promptTokens(), serving.outputTokens()}) {
                if (lengths instanceof LengthSpec.Sampled sampled) {
                    names.add(sampled.path());
                }
            }
        }
        return names;
    }

    private static void addIfSet(List<String> names, String name) {
        if (name != null && !name.isBlank()) {
            names.add(name);
        }
    }
}
