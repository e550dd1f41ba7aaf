package io.pointdata.udf.testing;

import java.util.List;
import java.util.Map;

/** Kapacitor's group ids (models.ToGroupID). */
final class GroupIds {
  private GroupIds() {}

  /**
   * The group id of a point or batch: empty when ungrouped, the name alone when grouped by name
   * only, else {@code [name "\n"] k1=v1,k2=v2} over the dimensions in the order given. A dimension
   * missing from the tags counts as an empty value, as in Go.
   */
  static String of(String name, Map<String, String> tags, List<String> dimensions, boolean byName) {
    if (dimensions.isEmpty()) return byName ? name : "";
    StringBuilder id = new StringBuilder();
    if (byName) id.append(name).append('\n');
    for (int i = 0; i < dimensions.size(); i++) {
      if (i > 0) id.append(',');
      String d = dimensions.get(i);
      id.append(d).append('=').append(tags.getOrDefault(d, ""));
    }
    return id.toString();
  }
}
