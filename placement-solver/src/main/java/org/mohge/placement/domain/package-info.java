/** The OptaPlanner planning model: GPU and expert facts, expert-copy entities and the solution. */
package org.mohge.placement.domain;
