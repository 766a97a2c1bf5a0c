/**
 * The port that turns Cognito's encrypted `request.code` into the code. The plaintext comes back as
 * bytes the caller wipes (`fill(0)`) once the message is sent.
 */
export interface CodeDecrypter {
  /** Decrypts a base64 AWS Encryption SDK message; rejects with a `CodeDecryptionError`. */
  decrypt(ciphertextBase64: string, signal: AbortSignal): Promise<Uint8Array>;
}
