/** CUDA backend through the JCuda driver API (PTX/fatbin resources, cuLaunchKernel, CUDA events); the only package importing JCuda. */
package org.mohge.gpu.cuda;
