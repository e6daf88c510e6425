package org.mohge.costmodel.arch;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;
import org.mohge.costmodel.spec.Require;

/**
 * MoHGE (arXiv 2604.23108): groups of equal-size experts with hidden sizes growing group by
 * group; a group gate keeps {@code topGroups} groups, then an expert gate keeps
 * {@code topExpertsPerGroup} experts inside each kept group.
 */
public record GroupedMoe(@JsonProperty(required = true) List<ExpertGroup> groups, @JsonProperty(required = true) int topGroups, @JsonProperty(required = true) int topExpertsPerGroup, int sharedExperts,
                         int sharedExpertHidden, Activation activation) implements MoeLayerSpec {

    public GroupedMoe {
        groups = Require.nonEmpty(groups, "groups");
        Require.positive(topGroups, "topGroups");
        Require.check(topGroups <= groups.size(), "topGroups",
                "must be <= the number of groups (" + groups.size() + "), got " + topGroups);
        Require.positive(topExpertsPerGroup, "topExpertsPerGroup");
        org.mohge.costmodel.spec.Limits.experts(groups.stream().mapToLong(ExpertGroup::experts).sum(), "groups");
        for (int g = 0; g < groups.size(); g++) {
            ExpertGroup group = groups.get(g);
            Require.check(topExpertsPerGroup <= group.experts(), "topExpertsPerGroup",
                    "must be <= the experts of every group (groups[" + g + "] has " + group.experts()
                            + "), got " + topExpertsPerGroup);
            if (g > 0) {
                int previous = groups.get(g - 1).expertHidden();
                Require.check(group.expertHidden() > previous, "groups[" + g + "].expertHidden",
                        "must be larger than groups[" + (g - 1) + "].expertHidden (" + previous
                                + "): groups are listed from the smallest experts up, got " + group.expertHidden());
            }
        }
        sharedExpertHidden = Require.sharedExpertHidden(sharedExperts, sharedExpertHidden);
        activation = Require.orDefault(activation, Activation.SWIGLU);
    }

    @Override
    public List<ExpertShape> expertShapes() {
        List<ExpertShape> list = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (int j = 0; j < groups.get(g).experts(); j++) {
                list.add(new ExpertShape(list.size(), g, groups.get(g).expertHidden()));
            }
        }
        return list;
    }

    @Override
    public int expertCount() {
        return groups.stream().mapToInt(ExpertGroup::experts).sum();
    }

    /** Index of the first expert of group {@code g} in model order. */
    public int firstExpertOf(int g) {
        int first = 0;
        for (int i = 0; i < g; i++) {
            first += groups.get(i).experts();
        }
        return first;
    }

    @Override
    public List<ExpertGroup> sizeClasses() {
        return groups;
    }

    @Override
    public int routedExpertsPerToken() {
        return topGroups * topExpertsPerGroup;
    }


    @Override
    public long routerParams(int modelHidden) {
        return (long) modelHidden * (groups.size() + expertCount());
    }

    @Override
    public double[] defaultExpertShares() {
        return expertSharesFromGroupMix(evenGroupMix());
    }

    /** Each group's share of expert activations when the group gate is indifferent. */
    public double[] evenGroupMix() {
        double[] mix = new double[groups.size()];
        java.util.Arrays.fill(mix, 1.0 / groups.size());
        return mix;
    }

    /** Spreads each group's share of activations evenly over its experts. */
    public double[] expertSharesFromGroupMix(double[] groupMix) {
        if (groupMix.length != groups.size()) {
            throw new IllegalArgumentException("group mix has " + groupMix.length + " entries, the layer has "
                    + groups.size() + " groups");
        }
        double[] shares = new double[expertCount()];
        int i = 0;
        for (int g = 0; g < groups.size(); g++) {
            for (int j = 0; j < groups.get(g).experts(); j++) {
                shares[i++] = groupMix[g] / groups.get(g).experts();
            }
        }
        return shares;
    }

    @Override
    public String kind() {
        return "grouped";
    }
}
