package dev.mlpipeline.console;

/** The console's own paths: the registry at {@code /} and every page and action under {@code /console}. */
final class ConsolePaths {

    static final String ROOT = "/console";

    private ConsolePaths() {
    }

    static boolean isConsole(String path) {
        return path != null && (path.equals("/") || path.equals(ROOT) || path.startsWith(ROOT + "/"));
    }
}
