/**
 * CIFAR-10 from its official binary release: the reader ({@link org.lottery4j.examples.cifar.Cifar10}),
 * per-channel normalization and the padded-crop-and-flip augmentation of the CIFAR ResNets.
 */
package org.lottery4j.examples.cifar;
