package dev.valence.runtime;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * How the runtime's code may depend on its neighbours, read from the compiled classes (every use counts: imports,
 * fields, calls, method references), so a shortcut fails the build instead of waiting for a review.
 */
class ArchitectureTest {
    /** The runtime's main classes only: tests may look inside the status page to assert what it shows. */
    private static final JavaClasses RUNTIME = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.valence.runtime");

    @Test
    void runtime_code_uses_the_status_page_only_through_its_root_package() {
        noClasses().that().resideInAPackage("dev.valence.runtime..")
                .should().dependOnClassesThat(resideInAPackage("dev.valence.status..").and(not(resideInAPackage("dev.valence.status"))))
                .because("the status page's public API for an embedding runtime is its root package (StatusPage, AutomaticIncidents,"
                        + " FallbackPage and the words they take); its model, store, HTTP and snapshot machinery may change without"
                        + " the runtime noticing")
                .check(RUNTIME);
    }
}
