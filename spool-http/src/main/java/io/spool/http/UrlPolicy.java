package io.spool.http;

import io.spool.media.BadArgumentException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which URLs the server may call (webhooks, job input URLs): http and https only, and only to public addresses
 * unless the kinds named here are allowed. Every address a host name resolves to is checked, at
 * submission and again at each attempt and each redirect, so that a name pointed at an inner
 * address later, or a redirect to one, is refused too.
 */
public record UrlPolicy(Set<AddressKind> allowed) {
  /** Addresses that are not public. */
  public enum AddressKind {
    /** 127.0.0.0/8, ::1. */
    LOOPBACK,
    /** 169.254.0.0/16 (cloud metadata services live here), fe80::/10. */
    LINK_LOCAL,
    /** 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7. */
    PRIVATE
  }

  /** Public addresses only. */
  public static final UrlPolicy PUBLIC_ONLY = new UrlPolicy(Set.of());

  public UrlPolicy {
    allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
  }

  /** A policy that also allows the kinds named ({@code loopback}, {@code link-local}, {@code private}). */
  public static UrlPolicy allowing(Iterable<String> kinds) {
    Set<AddressKind> set = EnumSet.noneOf(AddressKind.class);
    for (String k : kinds) {
      try {
        set.add(AddressKind.valueOf(k.strip().toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new BadArgumentException("unknown address kind '" + k + "'; use loopback, link-local or private");
      }
    }
    return new UrlPolicy(set);
  }

  /** Checks {@code url}'s form and every address its host resolves to; returns it parsed. */
  public URI check(String url) {
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new BadArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new BadArgumentException("only http and https URLs are allowed, not '" + url + "'");
    }
    if (u.getHost() == null || u.getRawUserInfo() != null) {
      throw new BadArgumentException("a URL needs a host and no user name or password: '" + url + "'");
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(u.getHost());
    } catch (UnknownHostException e) {
      throw new BadArgumentException("the host of '" + url + "' is not known");
    }
    for (InetAddress a : addresses) {
      AddressKind kind = kindOf(a);
      if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
        throw new BadArgumentException("'" + url + "' leads to " + a.getHostAddress() + ", which no URL may call");
      }
      if (kind != null && !allowed.contains(kind)) {
        throw new BadArgumentException("'" + url + "' leads to the " + kind.name().toLowerCase(Locale.ROOT).replace('_', '-')
            + " address " + a.getHostAddress() + ", which this server does not call (see serve.allow_addresses)");
      }
    }
    return u;
  }

  /** The kind of a non-public address; null for a public one. */
  static AddressKind kindOf(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return AddressKind.LOOPBACK;
    }
    if (a.isLinkLocalAddress()) {
      return AddressKind.LINK_LOCAL;
    }
    if (a.isSiteLocalAddress()) {
      return AddressKind.PRIVATE;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
      return AddressKind.PRIVATE; // carrier-grade NAT, 100.64.0.0/10
    }
    if (a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
      return AddressKind.PRIVATE; // unique local, fc00::/7
    }
    if (a instanceof Inet6Address i6 && i6.isIPv4CompatibleAddress()) {
      try {
        return kindOf(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
      } catch (UnknownHostException e) {
        return AddressKind.PRIVATE;
      }
    }
    return null;
  }
}
