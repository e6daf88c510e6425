/** Expert placement: the problem, the strategies that solve it and the runner that compares them. */
package org.mohge.placement;
