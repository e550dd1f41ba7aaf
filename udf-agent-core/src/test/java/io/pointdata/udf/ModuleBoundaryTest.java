package io.pointdata.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import io.pointdata.udf.proto.UdfProto;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.lib.junixsocket.common.NarMetadata;
import org.newsclub.net.unix.AFUNIXSocket;
import org.slf4j.Logger;

/**
 * The core as a user's module sees it: on the module path, the API and the protocol package are
 * there, the implementation is not. The other tests run on the class path, where module-info does
 * not apply.
 */
class ModuleBoundaryTest {
  @TempDir Path dir;

  @Test
  void descriptorExportsTheApiAndOpensInternalOnlyToTheFixtures() throws IOException {
    ModuleDescriptor core;
    try (InputStream in =
        Files.newInputStream(location(Point.class).resolve("module-info.class"))) {
      core = ModuleDescriptor.read(in);
    }
    assertEquals("io.pointdata.udf", core.name());
    Map<String, Set<String>> exports =
        core.exports().stream().collect(Collectors.toMap(Exports::source, Exports::targets));
    assertEquals(
        Map.of(
            "io.pointdata.udf", Set.of(),
            "io.pointdata.udf.protocol", Set.of(),
            "io.pointdata.udf.internal", Set.of("io.pointdata.udf.testing")),
        exports);
    assertTrue(core.opens().isEmpty(), "nothing is open to reflection: " + core.opens());
  }

  @Test
  void userModuleCannotCompileAgainstInternal() throws IOException {
    Path source =
        write(
            "user.peek",
            "user/Peek.java",
            "package user;\n"
                + "public class Peek {\n"
                + "  public static String format() {\n"
                + "    return"
                + " io.pointdata.udf.internal.Durations.format(java.time.Duration.ZERO);\n"
                + "  }\n"
                + "}\n");
    List<String> errors = compile(source, dir.resolve("peek-classes"));
    assertFalse(errors.isEmpty(), "a user module compiled against io.pointdata.udf.internal");
    assertTrue(
        errors.stream().anyMatch(e -> e.contains("io.pointdata.udf.internal")),
        "the error names the package: " + errors);
  }

  @Test
  void userModuleRunsAUdfOnTheModulePath() throws Exception {
    Path source =
        write(
            "user.udf",
            "user/Main.java",
            """
            package user;

            import io.pointdata.udf.*;
            import io.pointdata.udf.proto.UdfProto;
            import io.pointdata.udf.protocol.Protocol;
            import java.io.*;
            import java.nio.file.*;

            public class Main {
              static final class Double implements Udf {
                public UdfSpec spec() { return UdfSpec.stream().build(); }
                public void point(Point p, Emitter out) {
                  out.emit(p.toBuilder().field("v", p.doubleField("v") * 2).build());
                }
              }

              public static void main(String[] args) throws Exception {
                ByteArrayOutputStream requests = new ByteArrayOutputStream();
                UdfProto.Request.newBuilder()
                    .setInit(UdfProto.InitRequest.newBuilder().setTaskID("t").setNodeID("n"))
                    .build().writeDelimitedTo(requests);
                Point in = Point.named("m").field("v", 21.0).time(5).build();
                UdfProto.Request.newBuilder().setPoint(Protocol.toProto(in)).build()
                    .writeDelimitedTo(requests);
                ByteArrayOutputStream responses = new ByteArrayOutputStream();
                boolean clean = UdfAgent.serve(
                    new ByteArrayInputStream(requests.toByteArray()), responses, new Double());
                InputStream read = new ByteArrayInputStream(responses.toByteArray());
                UdfProto.Response.parseDelimitedFrom(read); // InitResponse
                Point out = Protocol.point(UdfProto.Response.parseDelimitedFrom(read).getPoint());
                System.out.println("clean=" + clean + " v=" + out.doubleField("v"));

                try {
                  Class.forName("io.pointdata.udf.internal.Durations")
                      .getMethod("format", java.time.Duration.class)
                      .invoke(null, java.time.Duration.ZERO);
                  System.out.println("internal: open");
                } catch (IllegalAccessException e) {
                  System.out.println("internal: closed");
                }

                Path socket = Files.createTempDirectory("udf-module").resolve("m.sock");
                try (UdfServer server = UdfServer.builder(socket).udf(Double::new).build()) {
                  server.start();
                  System.out.println("socket: " + Files.exists(socket));
                }
              }
            }
            """);
    Path classes = dir.resolve("udf-classes");
    List<String> errors = compile(source, classes);
    assertTrue(errors.isEmpty(), "compiling against the exported API: " + errors);

    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("--module-path");
    command.add(modulePath(classes));
    command.add("--module");
    command.add("user.udf/user.Main");
    Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(java.waitFor(60, TimeUnit.SECONDS), "the module's JVM did not end: " + output);
    assertEquals(0, java.exitValue(), output);
    assertTrue(output.contains("clean=true v=42.0"), output);
    assertTrue(output.contains("internal: closed"), output);
    assertTrue(output.contains("socket: true"), "junixsocket on the module path: " + output);
  }

  private Path write(String module, String file, String code) throws IOException {
    Path root = dir.resolve(module);
    Files.createDirectories(root.resolve(file).getParent());
    Files.writeString(
        root.resolve("module-info.java"),
        "module " + module + " {\n" + "  requires io.pointdata.udf;\n}\n");
    Files.writeString(root.resolve(file), code);
    return root;
  }

  /** Compiles a module's sources against the core's module path; returns the errors. */
  private static List<String> compile(Path root, Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(root)) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      List<String> options =
          List.of("--module-path", modulePath(), "-d", classes.toString(), "-proc:none");
      javac
          .getTask(
              null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
          .call();
    }
    return diagnostics.getDiagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
        .map(d -> d.getMessage(null))
        .toList();
  }

  private static String modulePath(Path... more) {
    List<String> path = new ArrayList<>();
    for (Path p : more) path.add(p.toString());
    for (Class<?> c :
        List.of(
            Point.class, // this module's classes, with module-info.class
            UdfProto.class,
            Message.class,
            AFUNIXSocket.class,
            NarMetadata.class,
            Logger.class)) {
      path.add(location(c).toString());
    }
    return String.join(java.io.File.pathSeparator, path);
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
