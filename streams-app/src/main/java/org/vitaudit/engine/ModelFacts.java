package org.vitaudit.engine;

import java.util.List;
import org.vitaudit.model.TokenLayout;
import org.vitaudit.model.graph.ResidualSource;

/**
 * What the engine learned about a model when it opened it.
 *
 * @param residual what the cut block's first residual adds in H (see {@link ResidualSource})
 */
public record ModelFacts(
    String name,
    String sha256,
    String cutNode,
    ResidualSource residual,
    TokenLayout layout,
    int dim,
    int classes,
    List<String> labels,
    String provider) {

  public String label(int classIndex) {
    return classIndex >= 0 && classIndex < labels.size()
        ? labels.get(classIndex)
        : String.valueOf(classIndex);
  }

  /** The class named {@code s} (a label, or a class number). */
  public int classOf(String s) {
    int i = labels.indexOf(s);
    if (i >= 0) {
      return i;
    }
    try {
      int c = Integer.parseInt(s.trim());
      if (c >= 0 && c < classes) {
        return c;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "unknown class '"
            + s
            + "': expected a label of the model or a"
            + " number 0.."
            + (classes - 1));
  }
}
