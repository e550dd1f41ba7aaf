/**
 * The protocol as it is, for those who want full control: {@link
 * io.pointdata.udf.protocol.UdfHandler} gets Kapacitor's requests as the generated protocol types,
 * {@link io.pointdata.udf.protocol.Protocol} runs one and converts between those types and the
 * typed API of {@code io.pointdata.udf}.
 */
package io.pointdata.udf.protocol;
