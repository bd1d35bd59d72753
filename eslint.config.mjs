// TypeScript lint with type information (typescript-eslint), run by test/package/lint.test.mjs.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "examples/**", "native/**", "build/**", "prebuilds/**", ".cache/**"] },
  { files: ["src/**/*.ts", "devtools/src/**/*.ts"], extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked] },
  {
    files: ["src/**/*.ts", "devtools/src/**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Lazy loading is require() on first use, by design: importing the package stays cheap.
      "@typescript-eslint/no-require-imports": "off",
      // A server's handler reads the object the server is then assigned to.
      "prefer-const": ["error", { ignoreReadBeforeAssign: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
);
