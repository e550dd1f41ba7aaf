package io.pointdata.udf.testing;

/**
 * How a task's Init went: accepted, refused by the UDF, or refused by Kapacitor before any Init was
 * sent, because the options do not fit the UDF's Info.
 *
 * @param success whether the UDF accepted the options
 * @param error the UDF's InitResponse error, or Kapacitor's define-time error; empty on success
 * @param rejectedAtDefine whether {@code kapacitor define} would have refused the TICKscript, so
 *     the UDF never saw the options
 */
public record InitResult(boolean success, String error, boolean rejectedAtDefine) {
  static InitResult accepted() {
    return new InitResult(true, "", false);
  }

  static InitResult refused(String error) {
    return new InitResult(false, error, false);
  }

  static InitResult undefined(String error) {
    return new InitResult(false, error, true);
  }

  /**
   * The error as Kapacitor reports it: the define error as {@code kapacitor define} prints it, or
   * the task's error, {@code failed to initialize processes <error>}; empty on success.
   */
  public String kapacitorError() {
    if (success) return "";
    return rejectedAtDefine ? error : "failed to initialize processes " + error;
  }
}
