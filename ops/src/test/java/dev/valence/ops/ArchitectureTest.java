package dev.valence.ops;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * What ops may use of the runtime, read from the compiled classes. {@link OpsRunsWithoutGraalJsTest} proves that the
 * commands it runs work without GraalJS; this catches a use of the engine in any command, run by a test or not.
 */
class ArchitectureTest {
    private static final JavaClasses OPS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.valence.ops");

    @Test
    void ops_code_never_uses_the_javascript_engine() {
        noClasses().that().resideInAPackage("dev.valence.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.valence.runtime.engine..", "org.graalvm..", "com.oracle.truffle..")
                .because("ops reads the runtime's stores and verdicts but never runs a val, so GraalJS stays off its class path")
                .check(OPS);
    }
}
