package org.vitaudit.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: a package may use the ones
 * below it, never one above, and no two top-level packages depend on each other.
 */
class LayeringTest {
  private static final String ROOT = "org.vitaudit";
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  private static String pkg(String name) {
    return ROOT + "." + name + "..";
  }

  @Test
  void topLevelPackagesHaveNoCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  /** The guide's rule: the saliency engine, and what it stands on, has no Kafka in it. */
  @Test
  void theEngineAndWhatItStandsOnKnowNothingOfKafka() {
    noClasses()
        .that()
        .resideInAnyPackage(
            pkg("engine"), pkg("model"), pkg("image"), pkg("scenes"), pkg("evaluation"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.kafka..")
        .check(classes);
  }

  @Test
  void theEngineUsesOnlyTheModelLayerBelowIt() {
    noClasses()
        .that()
        .resideInAPackage(pkg("engine"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("evaluation"),
            pkg("stream"),
            pkg("app"),
            pkg("cli"),
            pkg("replay"),
            pkg("inspect"),
            pkg("bench"),
            pkg("serde"),
            pkg("dlq"),
            pkg("http"),
            pkg("kafka"),
            pkg("config"),
            pkg("scenes"))
        .check(classes);
  }

  @Test
  void readingModelsAndImagesUsesNoEngine() {
    noClasses()
        .that()
        .resideInAnyPackage(pkg("model"), pkg("image"), pkg("scenes"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("engine"),
            pkg("evaluation"),
            pkg("stream"),
            pkg("app"),
            pkg("cli"),
            pkg("replay"),
            pkg("inspect"),
            pkg("bench"))
        .check(classes);
  }

  /**
   * The topology is a function of configuration; starting it (app) and commands (cli) sit above.
   */
  @Test
  void theStreamDoesNotReachUpToWhatStartsIt() {
    noClasses()
        .that()
        .resideInAPackage(pkg("stream"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(pkg("app"), pkg("cli"), pkg("replay"), pkg("inspect"), pkg("bench"))
        .check(classes);
  }

  /**
   * Kafka I/O serves the layers above it and stands on configuration and record encodings alone.
   */
  @Test
  void kafkaInputOutputUsesOnlyConfigurationAndEncodings() {
    noClasses()
        .that()
        .resideInAPackage(pkg("kafka"))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            pkg("stream"),
            pkg("app"),
            pkg("cli"),
            pkg("replay"),
            pkg("inspect"),
            pkg("bench"),
            pkg("engine"),
            pkg("evaluation"),
            pkg("dlq"),
            pkg("http"),
            pkg("metrics"))
        .check(classes);
  }

  /**
   * The HTTP server only serves what the application started; records and metrics do not need it.
   */
  @Test
  void onlyTheApplicationUsesTheHttpServer() {
    noClasses()
        .that()
        .resideOutsideOfPackages(pkg("app"), pkg("http"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(pkg("http"))
        .check(classes);
  }

  @Test
  void onlyTheCommandLineUsesTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage(pkg("cli"))
        .should()
        .dependOnClassesThat()
        .resideInAPackage(pkg("cli"))
        .check(classes);
  }
}
