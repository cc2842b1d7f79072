package io.spool.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A request written by hand on a socket, for what an HTTP client library hides: a body sent in
 * chunks at the test's pace, and how much of it went out before the server answered.
 */
final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private long bodyBytesSent;

  RawHttp(int port, String requestHead) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
    out = socket.getOutputStream();
    out.write(requestHead.replace("\n", "\r\n").concat("\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A chunked request: the head with Transfer-Encoding: chunked and the token. */
  static RawHttp chunkedPost(int port, String path, String token) throws IOException {
    return new RawHttp(port, "POST " + path + " HTTP/1.1\nHost: 127.0.0.1\nAuthorization: Bearer " + token
        + "\nContent-Type: application/octet-stream\nTransfer-Encoding: chunked\n");
  }

  /** Sends one chunk; false when the server has closed its side (it answered and stopped reading). */
  boolean sendChunk(byte[] data) {
    try {
      out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(data);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      bodyBytesSent += data.length;
      return true;
    } catch (SocketException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the server has begun answering. */
  boolean answered() throws IOException {
    return socket.getInputStream().available() > 0;
  }

  long bodyBytesSent() {
    return bodyBytesSent;
  }

  /** The status line and headers of the answer, and as much of its body as has come. */
  String answer() throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buf = new byte[16 * 1024];
    StringBuilder sb = new StringBuilder();
    int n;
    try {
      while ((n = in.read(buf)) > 0) {
        sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        if (sb.indexOf("\r\n\r\n") >= 0 && sb.indexOf("}") >= 0) {
          break;
        }
      }
    } catch (SocketException e) {
      // closed by the server after its answer
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
