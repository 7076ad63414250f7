package io.parametric.worker.testjobs;

import java.io.Serializable;

/** Serializable functional interfaces standing in for the manager's {@code Fn} in worker tests. */
public final class Calls {
    private Calls() {}

    /** No argument. */
    public interface Call0<R> extends Serializable {
        R call() throws Exception;
    }

    /** One argument. */
    public interface Call1<A, R> extends Serializable {
        R call(A a) throws Exception;
    }

    /** Two arguments. */
    public interface Call2<A, B, R> extends Serializable {
        R call(A a, B b) throws Exception;
    }

    /** No argument, no return. */
    public interface Run0 extends Serializable {
        void run() throws Exception;
    }
}
