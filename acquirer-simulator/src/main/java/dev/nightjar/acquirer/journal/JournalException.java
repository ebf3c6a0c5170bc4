package dev.nightjar.acquirer.journal;

/** A journal could not be written or read; when thrown by an append, nothing of that append was kept. */
public final class JournalException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    JournalException(String message) {
        super(message);
    }
}
