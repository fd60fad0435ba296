package io.queen.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The build's promises to the builds that depend on it: the BOM names every published module at
 * the project's version, and the README's dependency snippet shows that version.
 */
class PublishedArtifactsTest {
  private static final Path ROOT = Path.of("..");
  /** Modules that are built but not published. */
  private static final List<String> UNPUBLISHED = List.of("queen-bench", "queen-bom");

  @Test
  void the_bom_has_the_projects_version_and_names_every_published_module() throws IOException {
    var parent = pom("pom.xml");
    var bom = pom("queen-bom/pom.xml");
    var version = first(parent, "<artifactId>queen-parent</artifactId>\\s*<version>([^<]+)</version>");
    assertThat(first(bom, "<artifactId>queen-bom</artifactId>\\s*<version>([^<]+)</version>"))
        .isEqualTo(version);
    var managed = all(bom, "<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>");
    var published = new ArrayList<>(all(parent, "<module>([^<]+)</module>"));
    published.removeIf(m -> UNPUBLISHED.contains(m) || m.startsWith("examples/"));
    assertThat(managed).containsExactlyInAnyOrderElementsOf(published);
  }

  @Test
  void the_readme_shows_the_dependency_at_the_projects_version() throws IOException {
    var parent = pom("pom.xml");
    var version = first(parent, "<artifactId>queen-parent</artifactId>\\s*<version>([^<]+)</version>");
    var readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme).contains("<artifactId>queen-core</artifactId>\n  <version>" + version
        + "</version>");
  }

  /** The pom without its comments (which show snippets of poms). */
  private static String pom(String path) throws IOException {
    return Files.readString(ROOT.resolve(path)).replaceAll("(?s)<!--.*?-->", "");
  }

  private static String first(String text, String regex) {
    var m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("%s in the pom", regex).isTrue();
    return m.group(1);
  }

  private static List<String> all(String text, String regex) {
    var m = Pattern.compile(regex).matcher(text);
    var out = new ArrayList<String>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
