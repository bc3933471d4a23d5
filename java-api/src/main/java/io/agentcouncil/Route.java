package io.agentcouncil;

/** Which tier gave a reply. */
public enum Route {
    /** Agent-0, confident enough. */
    AGENT0,
    /** The council of specialists, after Agent-0 fell below the gate. */
    COUNCIL,
    /** The cloud model, after the council fell below the gate too. */
    CLOUD;

    /** The lower-case name used in metric tags and JSON: agent0, council, cloud. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
