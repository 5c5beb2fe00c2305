package org.vitaudit.choice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChoicesTest {
  enum Colour implements Choice {
    DARK_RED,
    BLUE,
    GREEN {
      @Override
      public String cliName() {
        return "vert";
      }
    }
  }

  @Test
  void namesAreTheConstantsInLowerCaseWithDashesUnlessAConstantSaysOtherwise() {
    assertEquals(List.of("dark-red", "blue", "vert"), Choices.names(Colour.class));
  }

  @Test
  void parseIgnoresCaseAndBlanksAndReadsTheDeclaredName() {
    assertEquals(Colour.DARK_RED, Choices.parse(Colour.class, "colour", " Dark-Red "));
    assertEquals(Colour.GREEN, Choices.parse(Colour.class, "colour", "vert"));
  }

  @Test
  void aWrongValueIsRefusedWithTheSettingAndEveryName() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Choices.parse(Colour.class, "--colour", "green"));
    assertEquals("--colour must be one of dark-red, blue, vert, not 'green'", e.getMessage());
  }
}
