/** Thread naming and bounded executor shutdown. */
package io.queen.internal.concurrent;
