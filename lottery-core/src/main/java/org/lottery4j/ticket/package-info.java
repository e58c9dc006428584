/**
 * Lottery tickets: {@link org.lottery4j.ticket.LotteryTicket}, the entry point that ties masks,
 * pruning and rewinding to a network, and its versioned file format, written atomically and
 * checked on load.
 */
package org.lottery4j.ticket;
