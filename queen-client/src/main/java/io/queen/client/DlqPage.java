package io.queen.client;

import java.util.List;

/**
 * A page of the dead-letter queue, newest failure first; immutable.
 *
 * @param messages the entries of this page
 * @param total how many entries match the filters in all (the page's size where the server does
 *     not say)
 */
public record DlqPage(List<DlqMessage> messages, long total) {}
