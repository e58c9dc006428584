package org.lottery4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lottery4j.docs.MarkdownSnippets.Snippet;
import org.lottery4j.docs.SnippetRunner.Context;

class MarkdownSnippetsTest {

    private static final Path MD = Path.of("DOC.md");

    @TempDir
    Path dir;

    private static MarkdownSnippets parse(String text) {
        return MarkdownSnippets.parse(MD, text.lines().toList());
    }

    @Test
    void aMarkedBlockIsFoundByNameWithItsImportsAndLines() {
        MarkdownSnippets md = parse("""
                # Title

                <!-- snippet: first-one -->
                ```java
                import java.util.List;
                // a comment among the imports
                import static java.lang.Math.max;

                int x = max(1, 2);
                List<Integer> l = List.of(x);
                ```
                """);
        Snippet s = md.marked().get("first-one");
        assertThat(md.marked()).containsOnlyKeys("first-one");
        assertThat(md.unmarked()).isEmpty();
        assertThat(s.firstLine()).isEqualTo(5);
        assertThat(s.imports()).containsExactly("import java.util.List;", "// a comment among the imports",
                "import static java.lang.Math.max;");
        assertThat(s.bodyLine()).isEqualTo(8);
        assertThat(s.body()).containsExactly("", "int x = max(1, 2);", "List<Integer> l = List.of(x);");
    }

    @Test
    void unmarkedJavaBlocksAreListedByLineAndOtherLanguagesFoundOnlyByMarker() {
        MarkdownSnippets md = parse("""
                ```java
                int a = 1;
                ```
                ```bash
                echo <!-- snippet: not-a-marker -->
                ```
                <!-- snippet: b -->

                ```java
                int b = 2;
                ```
                ````java
                ```
                ````
                <!-- snippet: deps -->
                ```xml
                <a/>
                ```
                """);
        assertThat(md.marked()).containsOnlyKeys("b", "deps");
        assertThat(md.marked().get("b").lines()).containsExactly("int b = 2;");
        assertThat(md.marked().get("b").language()).isEqualTo("java");
        assertThat(md.marked().get("deps").language()).isEqualTo("xml");
        assertThat(md.marked().get("deps").lines()).containsExactly("<a/>");
        assertThat(md.unmarked()).containsExactly(1, 12);
    }

    @Test
    void misplacedOrMalformedMarkersAreErrorsNamingTheLine() {
        assertThatThrownBy(() -> parse("<!-- snippet: a -->\nSome text.\n```java\n```\n"))
                .hasMessage("DOC.md:1: the marker of snippet 'a' is followed by text instead of a code block");
        assertThatThrownBy(() -> parse("<!-- snippet: a -->\n"))
                .hasMessage("DOC.md:1: the marker of snippet 'a' is not followed by a code block");
        assertThatThrownBy(() -> parse("<!-- snippet: a -->\n<!-- snippet: b -->\n```java\n```\n"))
                .hasMessage("DOC.md:1: the marker of snippet 'a' is followed by another marker");
        assertThatThrownBy(() -> parse("<!-- snippet: a -->\n```java\n```\n<!-- snippet: a -->\n```java\n```\n"))
                .hasMessage("DOC.md:4: snippet name 'a' already names the block at line 2");
        assertThatThrownBy(() -> parse("<!-- snippet: Ticket Basic -->\n```java\n```\n"))
                .hasMessage("DOC.md:1: malformed snippet marker '<!-- snippet: Ticket Basic -->': write "
                        + "<!-- snippet: NAME --> (lower case, digits and '-') on the line before the block");
        assertThatThrownBy(() -> parse("text\n```java\nint a;\n"))
                .hasMessage("DOC.md: the code block opened at line 2 is never closed");
    }

    @Test
    void aMissingReadmeIsNamed() {
        assertThatThrownBy(() -> MarkdownSnippets.read(dir.resolve("README.md")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(dir.resolve("README.md") + " not found: ");
    }

    @Test
    void compileErrorsPointAtMarkdownLinesOrAtTheTestsContext() {
        Snippet s = parse("""
                intro

                <!-- snippet: broken -->
                ```java
                import java.util.List;

                List<String> names = List.of("a");
                int n = names.size() + undefinedCount;
                ```
                """).marked().get("broken");
        Context context = Context.of().prelude("int given = 1;").epilogue("System.out.println(n + missingToo);");
        assertThatThrownBy(() -> SnippetRunner.compile(s, context, "Broken", dir.resolve("src"), dir.resolve("classes")))
                .isInstanceOf(AssertionError.class)
                .hasMessage("""
                        Docs snippet 'broken' (DOC.md:5) does not compile:
                        DOC.md:8: cannot find symbol
                          symbol:   variable undefinedCount
                          location: class Broken
                            int n = names.size() + undefinedCount;
                        the test's epilogue for 'broken': cannot find symbol
                          symbol:   variable missingToo
                          location: class Broken
                            System.out.println(n + missingToo);
                        """);
    }

    @Test
    void aFailingSnippetReportsItsExitStatusAndOutput() {
        Snippet s = parse("""
                <!-- snippet: fails -->
                ```java
                System.out.println("before the failure " + given);
                throw new IllegalStateException("the snippet's own error");
                ```
                """).marked().get("fails");
        assertThatThrownBy(() -> SnippetRunner.run(s, Context.of().prelude("int given = 41 + 1;"), dir))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("Docs snippet 'fails' (DOC.md:3) failed (exit status 1); its output:\n"
                        + "before the failure 42\n"
                        + "Exception in thread \"main\" java.lang.IllegalStateException: the snippet's own error");
    }

    @Test
    void aSnippetRunsInAnEmptyWorkingFolder() throws Exception {
        Snippet s = parse("""
                <!-- snippet: writes -->
                ```java
                import java.nio.file.Files;
                import java.nio.file.Path;

                Files.writeString(Path.of("out.txt"), List.of("one", "two").toString());
                ```
                """).marked().get("writes");
        SnippetRunner.Run run = SnippetRunner.run(s, Context.of().imports("java.util.List"), dir);
        assertThat(run.workDir()).isEqualTo(dir.resolve("work"));
        assertThat(run.workDir().resolve("out.txt")).hasContent("[one, two]");
        assertThat(List.of(run.workDir().toFile().list())).containsExactly("out.txt");
    }

    @Test
    void aWholeProgramRunsAsItIsByItsClassName() throws Exception {
        Snippet s = parse("""
                <!-- snippet: program -->
                ```java
                package demo;

                public final class Hello {
                    public static void main(String[] args) {
                        System.out.println("hello from " + Hello.class.getName());
                    }
                }
                ```
                """).marked().get("program");
        SnippetRunner.Run run = SnippetRunner.run(s, Context.of().program("demo.Hello"), dir);
        assertThat(run.output()).isEqualTo("hello from demo.Hello\n");
    }
}
