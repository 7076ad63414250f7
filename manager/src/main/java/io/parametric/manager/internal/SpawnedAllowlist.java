package io.parametric.manager.internal;

import io.parametric.manager.ProcessManager;
import io.parametric.shared.ProcessError;
import io.parametric.worker.WorkerMain;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The package prefixes workers spawned by {@code processes(n)} admit (their {@code PP_ALLOW}),
 * never every class. {@code -Dpp.worker.allow=com.acme.jobs,org.example} names them explicitly;
 * otherwise they are the packages of the application's own code on the workers' class path:
 * every class-path <em>directory</em> (build output such as {@code target/classes}, an IDE's
 * output folder), and the package of the {@code Main-Class} of the jar started with
 * {@code java -jar} (a shaded jar holds its dependencies too: only its main package counts).
 * Other jars, the JDK and this library's own jars and folders contribute nothing. An application
 * packaged as jars on a plain class path sets {@code pp.worker.allow}.
 */
final class SpawnedAllowlist {

    /** System property naming the prefixes explicitly. */
    static final String PROPERTY = "pp.worker.allow";

    private SpawnedAllowlist() {}

    /**
     * @param classpath the workers' class path ({@link WorkerSpawner#classpath()})
     * @return the prefixes, comma-separated; empty when the workers run registered job types only
     */
    static String prefixes(String classpath) {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return explicit.trim();
        }
        Set<Path> library = libraryLocations();
        Set<String> packages = new TreeSet<>();
        String launchedJar = launchedJar();
        if (launchedJar != null) {
            mainPackage(Path.of(launchedJar), packages);
        }
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (!library.contains(path) && Files.isDirectory(path)) {
                packagesOfDirectory(path, packages);
            }
        }
        return String.join(",", minimal(packages));
    }

    /** @return the jar of {@code java -jar app.jar}, or null */
    private static String launchedJar() {
        String command = System.getProperty("sun.java.command", "");
        String first = command.split(" ", 2)[0];
        return first.endsWith(".jar") ? first : null;
    }

    /** Where this library's own modules were loaded from: never the application's code. */
    private static Set<Path> libraryLocations() {
        Set<Path> found = new java.util.HashSet<>();
        for (Class<?> c : List.of(ProcessManager.class, WorkerMain.class, ProcessError.class)) {
            try {
                var source = c.getProtectionDomain().getCodeSource();
                if (source != null && source.getLocation() != null) {
                    found.add(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
                }
            } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
                // not a file location: nothing to leave out
            }
        }
        return found;
    }

    private static void packagesOfDirectory(Path dir, Set<String> packages) {
        try (Stream<Path> files = Files.walk(dir, 32)) {
            files.filter(f -> f.getFileName().toString().endsWith(".class"))
                    .map(f -> dir.relativize(f.getParent() == null ? dir : f.getParent()))
                    .map(p -> p.toString().replace(File.separatorChar, '.'))
                    .filter(p -> !p.isEmpty() && !p.startsWith("META-INF"))
                    .forEach(packages::add);
        } catch (IOException | RuntimeException e) {
            // an unreadable folder admits nothing
        }
    }

    private static void mainPackage(Path jar, Set<String> packages) {
        try (JarFile file = new JarFile(jar.toFile())) {
            String main = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Main-Class");
            if (main != null && main.trim().lastIndexOf('.') > 0) {
                packages.add(main.trim().substring(0, main.trim().lastIndexOf('.')));
            }
        } catch (IOException e) {
            // an unreadable jar admits nothing
        }
    }

    /** Drops packages nested in another one on the list (a prefix admits its sub-packages). */
    private static List<String> minimal(Set<String> sorted) {
        List<String> kept = new ArrayList<>();
        for (String p : sorted) {
            if (p.startsWith("java.") || p.startsWith("javax.") || p.startsWith("jdk.") || p.startsWith("sun.")
                    || p.startsWith("com.sun.")) {
                continue;
            }
            if (kept.isEmpty() || !(p.equals(kept.get(kept.size() - 1)) || p.startsWith(kept.get(kept.size() - 1) + "."))) {
                kept.add(p);
            }
        }
        return kept;
    }
}
