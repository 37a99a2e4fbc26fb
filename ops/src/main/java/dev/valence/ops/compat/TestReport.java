package dev.valence.ops.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The outcome of a test suite as surefire wrote it: every {@code TEST-*.xml} under a checkout. */
public record TestReport(int tests, List<Failure> failures) {

    /** One failed or erroring test: its class, its name and the first line of what went wrong. */
    public record Failure(String className, String testName, String message) {
        @Override
        public String toString() {
            return className + "." + testName + ": " + message;
        }
    }

    public boolean green() {
        return tests > 0 && failures.isEmpty();
    }

    /** Reads every {@code surefire-reports/TEST-*.xml} below {@code root} (modules up to three levels deep). */
    public static TestReport read(Path root) throws IOException {
        int tests = 0;
        var failures = new ArrayList<Failure>();
        List<Path> reports;
        try (Stream<Path> paths = Files.find(root, 5, (p, a) -> p.getFileName().toString().matches("TEST-.*\\.xml")
                && p.getParent().getFileName().toString().equals("surefire-reports"))) {
            reports = paths.sorted().toList();
        }
        for (Path report : reports) {
            try {
                var factory = DocumentBuilderFactory.newInstance();
                factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                var document = factory.newDocumentBuilder().parse(report.toFile());
                var cases = document.getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    var testCase = (Element) cases.item(i);
                    tests++;
                    for (Node child = testCase.getFirstChild(); child != null; child = child.getNextSibling()) {
                        if (child instanceof Element problem && (problem.getTagName().equals("failure") || problem.getTagName().equals("error"))) {
                            failures.add(new Failure(testCase.getAttribute("classname"), testCase.getAttribute("name"), firstLine(problem)));
                            break;
                        }
                    }
                }
            } catch (Exception e) {
                throw new IOException("Could not read the surefire report " + report + ": " + e.getMessage(), e);
            }
        }
        return new TestReport(tests, List.copyOf(failures));
    }

    private static String firstLine(Element problem) {
        String text = problem.getAttribute("message");
        if (text.isBlank()) text = problem.getAttribute("type");
        if (text.isBlank()) text = problem.getTextContent().strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
