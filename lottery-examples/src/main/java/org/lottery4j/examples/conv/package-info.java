/**
 * The convolutional models of the lottery-ticket papers as experiment workloads: Conv-2, Conv-4 and
 * Conv-6 (Frankle and Carbin 2019) and ResNet-20 (He et al. 2016), each built for any image shape
 * so that they train on the MNIST digits and on CIFAR-10 alike.
 */
package org.lottery4j.examples.conv;
