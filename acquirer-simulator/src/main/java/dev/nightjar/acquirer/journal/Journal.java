package dev.nightjar.acquirer.journal;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An append-only log of a state's changes, in the order they were made. An owner appends a change before it
 * applies it, and answers nobody about it before {@link #sync} returned for the change's sequence number.
 */
public interface Journal<E> extends AutoCloseable {

    /**
     * Appends {@code entries} in order; when it returns they are written (handed to the operating system, so
     * they survive the process being killed). Appends must be made one at a time, in the owner's order. A
     * process killed in the middle of an append may leave a prefix of its entries, never part of one: an
     * append of several entries suits entries that each stand alone.
     *
     * @return the sequence number of this append, for {@link #sync}
     * @throws JournalException when nothing could be written; nothing was appended then
     */
    long append(List<? extends E> entries);

    /** The sequence number of the last append: what a reader of the state may have seen. */
    long appended();

    /** Returns once every append up to {@code sequence} is as durable as this journal makes anything. */
    void sync(long sequence);

    @Override
    void close();

    /** No journal at all: the state lives in memory alone and is forgotten at exit. */
    static <E> Journal<E> none() {
        AtomicLong sequence = new AtomicLong();
        return new Journal<>() {
            @Override
            public long append(List<? extends E> entries) {
                return sequence.incrementAndGet();
            }

            @Override
            public long appended() {
                return sequence.get();
            }

            @Override
            public void sync(long upTo) {
            }

            @Override
            public void close() {
            }
        };
    }
}
