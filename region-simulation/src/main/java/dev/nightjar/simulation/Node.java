package dev.nightjar.simulation;

/** A party the {@link Network} delivers messages to: a region, the acquirer, the witness or the clients. */
interface Node {

    void receive(String from, Message message);
}
