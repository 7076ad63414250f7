package io.parametric.examples;

/**
 * The seed's {@code module SampleMod}: application code a job calls on a worker. Spawned workers
 * run on the manager's classpath, so it is there without the seed's {@code @everywhere using}.
 */
public final class SampleMod {

    private SampleMod() {}

    /** The seed's {@code do_thing() = print("hello world!")}; it prints on the worker. */
    public static void doThing() {
        System.out.print("hello world!");
    }
}
