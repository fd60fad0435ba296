package io.queen.server.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * TLS on the listener: a PEM certificate chain and private key ({@code TLS_CERT_FILE},
 * {@code TLS_KEY_FILE}), or a PKCS#12 or JKS key store ({@code TLS_KEYSTORE_FILE},
 * {@code TLS_KEYSTORE_PASSWORD}). Immutable; {@link #sslContext()} reads the files (at start).
 *
 * @param certFile the certificate chain, server certificate first, or null
 * @param keyFile its unencrypted PKCS#8 private key ({@code BEGIN PRIVATE KEY}), or null
 * @param keystoreFile a key store holding one key entry, or null
 * @param keystorePassword the key store's (and its key's) password, or null; never logged
 */
public record TlsSettings(Path certFile, Path keyFile, Path keystoreFile, String keystorePassword) {
  public TlsSettings {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("TLS_CERT_FILE and TLS_KEY_FILE go together: set both");
    }
    if (certFile != null && keystoreFile != null) {
      throw new IllegalArgumentException(
          "set TLS_CERT_FILE and TLS_KEY_FILE, or TLS_KEYSTORE_FILE, not both");
    }
    if (certFile == null && keystoreFile == null) {
      throw new IllegalArgumentException("TLS needs TLS_CERT_FILE and TLS_KEY_FILE, or TLS_KEYSTORE_FILE");
    }
  }

  /**
   * The server's TLS context.
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public SSLContext sslContext() {
    try {
      KeyStore store;
      char[] password;
      if (keystoreFile != null) {
        password = keystorePassword == null ? new char[0] : keystorePassword.toCharArray();
        store = KeyStore.getInstance(keystoreFile.toFile(), password);
      } else {
        password = new char[0];
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        var chain = certificates(certFile);
        store.setKeyEntry("queen", privateKey(keyFile), password, chain.toArray(new Certificate[0]));
      }
      var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      var context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot set up TLS from "
          + (keystoreFile != null ? "TLS_KEYSTORE_FILE " + keystoreFile
              : "TLS_CERT_FILE " + certFile + " and TLS_KEY_FILE " + keyFile) + ": " + e, e);
    }
  }

  private static List<Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      List<Certificate> chain =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (chain.isEmpty()) {
        throw new GeneralSecurityException("TLS_CERT_FILE " + file + " holds no certificate");
      }
      return chain;
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    var text = Files.readString(file, StandardCharsets.US_ASCII);
    var begin = "-----BEGIN PRIVATE KEY-----";
    var end = "-----END PRIVATE KEY-----";
    if (!text.contains(begin) || !text.contains(end)) {
      throw new GeneralSecurityException("TLS_KEY_FILE " + file + " is not an unencrypted PKCS#8 "
          + "PEM key (-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt "
          + "-in " + file + " -out key.pkcs8.pem");
    }
    var der = Base64.getMimeDecoder().decode(
        text.substring(text.indexOf(begin) + begin.length(), text.indexOf(end)));
    for (var algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException tryNext) {
        // the PKCS#8 envelope names its algorithm; the matching factory is the one that accepts it
      }
    }
    throw new GeneralSecurityException("TLS_KEY_FILE " + file
        + " holds no RSA, EC or Ed25519 key the JDK can read");
  }
}
