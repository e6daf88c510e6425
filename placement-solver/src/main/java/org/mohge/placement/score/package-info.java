/** Bavet constraint streams that score an expert placement (hard: limits; medium: max GPU time; soft: balance). */
package org.mohge.placement.score;
