package org.lottery4j.examples;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.Map;

/**
 * One line saying what failed and why for an I/O error, for the examples' command line. The
 * exceptions of {@code java.nio.file} carry the file and the operating system's reason in separate
 * fields, and their message is often just the path ({@code AccessDeniedException}:
 * "/out/lottery_55d01c73fe"), which tells a user nothing.
 *
 * <pre>{@code
 * IoErrors.describe(e)  // "cannot create directory /out/lottery_55d01c73fe: permission denied"
 * }</pre>
 */
final class IoErrors {

    /**
     * The operation named after the {@code java.nio.file.Files} method that failed, the outermost one
     * on the stack (what the caller asked for: {@code readString}, not the {@code newByteChannel} it
     * calls): the exceptions do not record it, and the files the examples and the library write or
     * read go through these methods.
     */
    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("createDirectory", "create directory"),
            Map.entry("createDirectories", "create directory"),
            Map.entry("createFile", "create"),
            Map.entry("createTempFile", "create"),
            Map.entry("newOutputStream", "write"),
            Map.entry("newBufferedWriter", "write"),
            Map.entry("write", "write"),
            Map.entry("writeString", "write"),
            Map.entry("newInputStream", "read"),
            Map.entry("newBufferedReader", "read"),
            Map.entry("readAllBytes", "read"),
            Map.entry("readString", "read"),
            Map.entry("readAllLines", "read"),
            Map.entry("lines", "read"),
            Map.entry("newByteChannel", "open"),
            Map.entry("list", "list"),
            Map.entry("walk", "list"),
            Map.entry("newDirectoryStream", "list"),
            Map.entry("delete", "delete"),
            Map.entry("deleteIfExists", "delete"),
            Map.entry("move", "move"),
            Map.entry("copy", "copy"));

    private IoErrors() {}

    /**
     * What failed and why: {@code cannot <operation> <file>: <reason>} for file-system errors (the
     * operation is "access" when no {@code Files} method is on the stack), the message of other
     * I/O errors (the examples' and the library's own name their file), or the exception's type
     * when it has no message.
     */
    static String describe(IOException e) {
        if (!(e instanceof FileSystemException fs) || fs.getFile() == null) {
            String message = e.getMessage();
            return message == null || message.isBlank() ? e.getClass().getSimpleName() : oneLine(message);
        }
        String operation = operation(e);
        String target = fs.getOtherFile() == null ? fs.getFile()
                : fs.getFile() + (operation.equals("move") || operation.equals("copy") ? " to " : " and ") + fs.getOtherFile();
        return "cannot " + operation + " " + target + ": " + reason(fs);
    }

    /** The operating system's reason, or what the exception's type says when it carries none. */
    static String reason(FileSystemException e) {
        if (e.getReason() != null && !e.getReason().isBlank()) {
            String r = oneLine(e.getReason());
            return r.length() > 1 && Character.isUpperCase(r.charAt(0)) && Character.isLowerCase(r.charAt(1))
                    ? r.substring(0, 1).toLowerCase(Locale.ROOT) + r.substring(1) : r;
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        } else if (e instanceof NotDirectoryException) {
            return "not a directory";
        } else if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        } else if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return e.getClass().getSimpleName();
    }

    private static String operation(Throwable e) {
        String op = "access";
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals("java.nio.file.Files")) {
                op = OPERATIONS.getOrDefault(frame.getMethodName(), op);
            }
        }
        return op;
    }

    /** {@code s} on one line: line breaks and the blanks around them become one space. */
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
