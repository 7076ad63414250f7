package io.parametric.testkit;

import io.parametric.shared.JobType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds a small jar of job types from test classes, to hand to worker containers with {@code withJobs}. */
final class JobsJar {

    private JobsJar() {}

    /**
     * Writes a jar holding the given job type classes and a {@code META-INF/services} entry
     * listing them, so a worker registers them through ServiceLoader.
     *
     * @param target the jar to write (its folder is created)
     * @param types job type classes with a public no-argument constructor
     * @return target
     */
    @SafeVarargs
    static Path of(Path target, Class<? extends JobType>... types) {
        try {
            Files.createDirectories(target.getParent());
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            try (OutputStream file = Files.newOutputStream(target);
                 JarOutputStream jar = new JarOutputStream(file, manifest)) {
                StringBuilder services = new StringBuilder();
                for (Class<? extends JobType> type : types) {
                    String entry = type.getName().replace('.', '/') + ".class";
                    jar.putNextEntry(new JarEntry(entry));
                    try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
                        in.transferTo(jar);
                    }
                    jar.closeEntry();
                    services.append(type.getName()).append('\n');
                }
                jar.putNextEntry(new JarEntry("META-INF/services/" + JobType.class.getName()));
                jar.write(services.toString().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the job jar " + target, e);
        }
    }
}
