package org.vitaudit.scenes;

/** One target object of a scene: its class and the tight box of its drawn pixels. */
public record PlacedObject(ShapeClass shapeClass, BoundingBox box) {

  /** The model's label index for this object (the enum order). */
  public int classIndex() {
    return shapeClass.ordinal();
  }

  public String className() {
    return shapeClass.label();
  }
}
