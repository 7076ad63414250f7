package io.parametric.worker;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The serializable lambdas and method references a class itself declares, read from the
 * synthetic {@code $deserializeLambda$} method javac writes into every class that creates one:
 * that method lists, for each of them, the reference kind, implementing class, method name and
 * descriptor it accepts, and is the JDK's own list of what may be rebuilt from a
 * {@link java.lang.invoke.SerializedLambda}. A worker runs a lambda job only when its
 * implementing method is on the list of the class that captured it, so a payload can never name
 * any other member (a private helper, {@code main}, a registered type's {@code run}).
 *
 * <p>The class file is read from the class's loader and never initialised. A class without the
 * method, or one whose method does not have javac's shape, declares nothing.
 */
final class LambdaTargets {

    /** One entry of the list, as {@link java.lang.invoke.SerializedLambda} names it. */
    record Target(int kind, String implClass, String name, String descriptor) {}

    private static final ClassValue<Set<Target>> CACHE = new ClassValue<>() {
        @Override
        protected Set<Target> computeValue(Class<?> type) {
            return read(type);
        }
    };

    private static final String SERIALIZED_LAMBDA = "java/lang/invoke/SerializedLambda";

    private LambdaTargets() {}

    /**
     * @param capturing the class that created the lambda or method reference
     * @return the targets it declares as serializable (empty when none)
     */
    static Set<Target> of(Class<?> capturing) {
        return CACHE.get(capturing);
    }

    private static Set<Target> read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Set.of() : parse(in.readAllBytes());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /**
     * @param classFile the bytes of a class file
     * @return the targets its {@code $deserializeLambda$} accepts
     * @throws IOException when the class file is truncated
     */
    static Set<Target> parse(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            return Set.of();
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        ConstantPool pool = ConstantPool.read(in);
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        skipMembers(in);
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.readUnsignedShort();
            String name = pool.utf8(in.readUnsignedShort());
            in.readUnsignedShort();
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = pool.utf8(in.readUnsignedShort());
                int length = in.readInt();
                if ("$deserializeLambda$".equals(name) && "Code".equals(attribute)) {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                    byte[] code = new byte[in.readInt()];
                    in.readFully(code);
                    return new CodeReader(pool, code).targets();
                }
                in.skipNBytes(length);
            }
        }
        return Set.of();
    }

    private static void skipMembers(DataInputStream in) throws IOException {
        int count = in.readUnsignedShort();
        for (int i = 0; i < count; i++) {
            in.skipNBytes(6);
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.readUnsignedShort();
                in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
            }
        }
    }

    /** The constants the code refers to: strings and method references. */
    private static final class ConstantPool {
        private final Object[] entries;

        private ConstantPool(Object[] entries) {
            this.entries = entries;
        }

        static ConstantPool read(DataInputStream in) throws IOException {
            int count = in.readUnsignedShort();
            Object[] raw = new Object[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> raw[i] = in.readUTF();
                    case 3, 4 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> raw[i] = new int[] {tag, in.readUnsignedShort()};
                    case 9, 10, 11, 12, 17, 18 -> raw[i] = new int[] {tag, in.readUnsignedShort(), in.readUnsignedShort()};
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant tag " + tag);
                }
            }
            return new ConstantPool(raw);
        }

        String utf8(int index) {
            return index > 0 && index < entries.length && entries[index] instanceof String s ? s : null;
        }

        /** @return the text of a CONSTANT_String, or null */
        String string(int index) {
            return ref(index, 8) instanceof int[] r ? utf8(r[1]) : null;
        }

        /** @return {@code owner.name} of a CONSTANT_Methodref, or null */
        String method(int index) {
            if (!(ref(index, 10) instanceof int[] r) || !(ref(r[1], 7) instanceof int[] owner)
                    || !(ref(r[2], 12) instanceof int[] nameAndType)) {
                return null;
            }
            return utf8(owner[1]) + "." + utf8(nameAndType[1]);
        }

        private Object ref(int index, int tag) {
            return index > 0 && index < entries.length && entries[index] instanceof int[] r && r[0] == tag ? r : null;
        }
    }

    /**
     * Walks javac's {@code $deserializeLambda$}: a switch on the implementing method's name sets
     * a case number, a second switch on that number jumps to the checks of each target, where
     * each getter of {@code SerializedLambda} is compared with a constant.
     */
    private static final class CodeReader {
        private final ConstantPool pool;
        private final byte[] code;
        private final Map<Integer, String> names = new HashMap<>();
        private final TreeMap<Integer, Integer> caseStarts = new TreeMap<>();
        private final Set<Target> targets = new HashSet<>();

        CodeReader(ConstantPool pool, byte[] code) {
            this.pool = pool;
            this.code = code;
        }

        Set<Target> targets() {
            int switches = 0;
            String pendingName = null;
            String getter = null;
            Integer kind = null;
            String implClass = null;
            int pc = 0;
            while (pc < code.length) {
                int op = code[pc] & 0xFF;
                Integer pushed = pushedInt(pc, op);
                String text = op == 0x12 ? pool.string(code[pc + 1] & 0xFF) : op == 0x13 ? pool.string(u2(pc + 1)) : null;
                if (op == 0xAA || op == 0xAB) {
                    switches++;
                    if (switches == 2) {
                        readCases(pc, op);
                    }
                } else if (switches == 1) {
                    if (text != null) {
                        pendingName = text;
                    } else if (pushed != null && pendingName != null) {
                        names.put(pushed, pendingName);
                        pendingName = null;
                    }
                } else if (switches == 2) {
                    if (op == 0xB6) {
                        String m = pool.method(u2(pc + 1));
                        getter = m != null && m.startsWith(SERIALIZED_LAMBDA + ".") ? m.substring(SERIALIZED_LAMBDA.length() + 1) : null;
                        if ("getImplMethodKind".equals(getter)) {
                            kind = null;
                            implClass = null;
                        }
                    } else if ("getImplMethodKind".equals(getter) && pushed != null) {
                        kind = pushed;
                        getter = null;
                    } else if ("getImplClass".equals(getter) && text != null) {
                        implClass = text;
                        getter = null;
                    } else if ("getImplMethodSignature".equals(getter) && text != null) {
                        String name = nameOfCaseAt(pc);
                        if (kind != null && implClass != null && name != null) {
                            targets.add(new Target(kind, implClass, name, text));
                        }
                        getter = null;
                    }
                }
                pc = next(pc, op);
            }
            return Set.copyOf(targets);
        }

        private String nameOfCaseAt(int pc) {
            Map.Entry<Integer, Integer> c = caseStarts.floorEntry(pc);
            return c == null ? null : names.get(c.getValue());
        }

        private void readCases(int pc, int op) {
            int p = (pc + 4) & ~3;
            if (op == 0xAA) {
                int low = s4(p + 4);
                int high = s4(p + 8);
                for (int i = 0; i <= high - low; i++) {
                    caseStarts.put(pc + s4(p + 12 + 4 * i), low + i);
                }
            } else {
                int pairs = s4(p + 4);
                for (int i = 0; i < pairs; i++) {
                    caseStarts.put(pc + s4(p + 12 + 8 * i), s4(p + 8 + 8 * i));
                }
            }
        }

        private Integer pushedInt(int pc, int op) {
            if (op >= 0x02 && op <= 0x08) {
                return op - 0x03;
            }
            if (op == 0x10) {
                return (int) code[pc + 1];
            }
            if (op == 0x11) {
                return (int) (short) u2(pc + 1);
            }
            return null;
        }

        private int next(int pc, int op) {
            if (op == 0xAA) {
                int p = (pc + 4) & ~3;
                return p + 12 + 4 * (s4(p + 8) - s4(p + 4) + 1);
            }
            if (op == 0xAB) {
                int p = (pc + 4) & ~3;
                return p + 8 + 8 * s4(p + 4);
            }
            if (op == 0xC4) {
                return pc + ((code[pc + 1] & 0xFF) == 0x84 ? 6 : 4);
            }
            return pc + LENGTHS[op];
        }

        private int u2(int p) {
            return ((code[p] & 0xFF) << 8) | (code[p + 1] & 0xFF);
        }

        private int s4(int p) {
            return ((code[p] & 0xFF) << 24) | ((code[p + 1] & 0xFF) << 16) | ((code[p + 2] & 0xFF) << 8) | (code[p + 3] & 0xFF);
        }
    }

    /** Instruction lengths by opcode (switches and wide are computed). */
    private static final int[] LENGTHS = new int[256];

    static {
        java.util.Arrays.fill(LENGTHS, 1);
        set(2, 0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3A, 0xA9, 0xBC);
        set(3, 0x11, 0x13, 0x14, 0x84, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xBB, 0xBD, 0xC0, 0xC1, 0xC6, 0xC7);
        for (int op = 0x99; op <= 0xA8; op++) {
            LENGTHS[op] = 3;
        }
        set(4, 0xC5);
        set(5, 0xB9, 0xBA, 0xC8, 0xC9);
    }

    private static void set(int length, int... ops) {
        for (int op : ops) {
            LENGTHS[op] = length;
        }
    }
}
