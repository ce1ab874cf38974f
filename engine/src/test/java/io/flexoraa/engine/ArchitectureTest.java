package io.flexoraa.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.flexoraa.engine.lead.LeadEntity;
import io.flexoraa.engine.tenant.TenantEntity;
import org.junit.jupiter.api.Test;

/**
 * The engine holds the domain, the entities and the ports; SQL, HTTP, metrics backends and the adapters that
 * implement the ports live in other modules and depend on the engine, never the other way round.
 */
class ArchitectureTest {

  private static final JavaClasses ENGINE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.flexoraa.engine");

  static final ArchRule ENGINE_IS_FREE_OF_INFRASTRUCTURE =
      noClasses()
          .that().resideInAPackage("io.flexoraa.engine..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "java.sql..",
              "javax.sql..",
              "org.apache.pekko.http..",
              "org.postgresql..",
              "com.zaxxer..",
              "org.flywaydb..",
              "io.kamon..",
              "kamon..",
              "io.flexoraa.persistence..",
              "io.flexoraa.http..")
          .because("the engine is the core; infrastructure adapts to it through the ports");

  @Test
  void theEngineDependsOnNoInfrastructure() {
    ENGINE_IS_FREE_OF_INFRASTRUCTURE.check(ENGINE);
  }

  @Test
  void theRuleIsNotVacuous() {
    assertThat(ENGINE.contain(LeadEntity.class)).isTrue();
    assertThat(ENGINE.contain(TenantEntity.class)).isTrue();
    assertThat(ENGINE.contain(ArchitectureTest.class)).as("test classes are not imported").isFalse();
    assertThat(ENGINE.size()).isGreaterThan(20);
  }

  /** A class that breaks the rule, imported on its own to show the rule does catch it. */
  static final class ReachesForTheDatabase {
    java.sql.Connection connection;
  }

  @Test
  void theRuleCatchesAViolation() {
    JavaClasses offender = new ClassFileImporter().importClasses(ReachesForTheDatabase.class);

    assertThat(ENGINE_IS_FREE_OF_INFRASTRUCTURE.evaluate(offender).hasViolation()).isTrue();
  }
}
