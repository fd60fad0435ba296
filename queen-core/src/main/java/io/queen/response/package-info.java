/**
 * Hand-off of results to the thread that owns them. A {@link io.queen.response.ResponseQueue} is
 * filled by any thread and emptied by exactly one owner thread; producers never block (a full queue
 * refuses the offer), and the owner is told to drain by a wake-up hook that the first offer into an
 * empty queue runs on its own thread. The owner, once woken, drains until the queue is empty.
 */
package io.queen.response;
