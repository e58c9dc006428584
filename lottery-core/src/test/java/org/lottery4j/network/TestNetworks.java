package org.lottery4j.network;

import org.lottery4j.internal.NetworkAdapter;

/** Test access to the adapter behind a read-only view, to set up weights and inspect training state. */
public final class TestNetworks {

    private TestNetworks() {}

    public static NetworkAdapter adapter(NetworkView view) {
        return view.adapter();
    }
}
