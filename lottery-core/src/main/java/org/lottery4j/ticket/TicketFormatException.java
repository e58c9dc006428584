package org.lottery4j.ticket;

import java.nio.file.Path;
import org.lottery4j.io.FileFormatException;

/**
 * A file that is not a valid ticket: not a ticket at all, truncated, corrupted (an entry whose
 * CRC-32, size or SHA-256 does not match), from a newer format version, with masks or snapshots
 * that do not fit its network, or refused because it holds an entry a ticket never has or names a
 * class outside DL4J, ND4J and lottery4j. The message names the file and what is wrong.
 *
 * <pre>{@code
 * try {
 *     LotteryTicket.load(path);
 * } catch (TicketFormatException e) {
 *     System.err.println(e.getMessage());   // "out/ticket.zip: mask of layer0/W has shape [3, 4] ..."
 * }
 * }</pre>
 */
public final class TicketFormatException extends FileFormatException {

    public TicketFormatException(Path file, String problem) {
        super(file, problem);
    }

    public TicketFormatException(Path file, String problem, Throwable cause) {
        super(file, problem, cause);
    }
}
