package io.parametric.shared.redis;

import java.util.function.BiConsumer;
import redis.clients.jedis.JedisPubSub;

/**
 * Channels listened to on a connection of their own (see {@link Redis#listen}). Messages arrive on
 * the listening thread; channels can be added from any thread while it listens.
 */
public final class Subscription {

    private final BiConsumer<String, String> onMessage;
    private final Runnable onSubscribed;
    private volatile JedisPubSub current;

    /**
     * @param onMessage told of each message: channel, message
     * @param onSubscribed told once each time {@link Redis#listen} has subscribed, on the listening thread
     */
    public Subscription(BiConsumer<String, String> onMessage, Runnable onSubscribed) {
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
    }

    /** @return a fresh Jedis listener for one {@link Redis#listen} call */
    JedisPubSub fresh() {
        JedisPubSub pubsub = new JedisPubSub() {
            private boolean announced;

            @Override
            public void onMessage(String channel, String message) {
                onMessage.accept(channel, message);
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                if (!announced) {
                    announced = true;
                    onSubscribed.run();
                }
            }
        };
        current = pubsub;
        return pubsub;
    }

    /**
     * Adds a channel while listening; before or between listens it does nothing (the next listen
     * names its channels).
     *
     * @param channel the channel
     * @return true when it was added to a live subscription
     */
    public boolean add(String channel) {
        JedisPubSub pubsub = current;
        if (pubsub == null || !pubsub.isSubscribed()) {
            return false;
        }
        pubsub.subscribe(channel);
        return true;
    }

    /** Stops listening: {@link Redis#listen} returns. */
    public void close() {
        JedisPubSub pubsub = current;
        if (pubsub != null && pubsub.isSubscribed()) {
            pubsub.unsubscribe();
        }
    }
}
