package io.pointdata.udf;

/**
 * A failure a UDF reports to Kapacitor, worded for the operator who reads Kapacitor's log.
 *
 * <p>Thrown from {@link Udf#init} it becomes a failed {@code InitResponse}; from {@link
 * Udf#restore} a failed {@code RestoreResponse}; from anywhere else an {@code ErrorResponse}, after
 * which Kapacitor stops the task's UDF node.
 */
public class UdfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UdfException(String message) {
    super(message);
  }

  public UdfException(String message, Throwable cause) {
    super(message, cause);
  }
}
