//! Which shell to write for, from what the environment says. Pure: the caller reads the
//! variables, so every platform's rules are unit-tested everywhere.

use std::ffi::OsStr;

use super::Shell;

/// The environment variables that tell shells apart.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Clues<'a> {
    /// `$SHELL`: the user's login shell on Unix; set by MSYS2/Git Bash on Windows.
    pub shell: Option<&'a OsStr>,
    /// `PSModulePath`: on Windows defined system-wide with two entries; PowerShell adds the
    /// user's module directory when it starts, so three or more entries mean PowerShell.
    pub ps_module_path: Option<&'a OsStr>,
    pub windows: bool,
}

/// The shell to write for, or the name of a shell tlsforge has no format for.
pub(crate) fn shell(clues: Clues<'_>) -> Result<Shell, String> {
    if let Some(shell) = clues.shell.filter(|s| !s.is_empty()) {
        // Both separators: a Windows path is read on every platform the same way.
        let full = shell.to_string_lossy().to_lowercase();
        let name = full.rsplit(['/', '\\']).next().unwrap_or(&full);
        // A login shell's argv[0] may start with '-'; Windows names end in .exe.
        let name = name.trim_start_matches('-');
        let name = name.strip_suffix(".exe").unwrap_or(name);
        return match name {
            "bash" => Ok(Shell::Bash),
            "zsh" => Ok(Shell::Zsh),
            "fish" => Ok(Shell::Fish),
            "sh" | "dash" | "ash" | "ksh" | "ksh93" | "mksh" | "oksh" | "loksh" | "yash" | "posh"
            | "busybox" => Ok(Shell::Sh),
            "pwsh" | "powershell" => Ok(Shell::Powershell),
            "cmd" => Ok(Shell::Cmd),
            other => Err(other.to_owned()),
        };
    }
    if clues.windows {
        let entries = clues
            .ps_module_path
            .map_or(0, |p| p.to_string_lossy().split(';').filter(|e| !e.is_empty()).count());
        return Ok(if entries >= 3 { Shell::Powershell } else { Shell::Cmd });
    }
    // No $SHELL (cron, containers): `eval "$(tlsforge env)"` is POSIX shell syntax.
    Ok(Shell::Sh)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unix(shell: &str) -> Result<Shell, String> {
        shell_of(Clues { shell: Some(OsStr::new(shell)), ..Clues::default() })
    }

    fn shell_of(clues: Clues<'_>) -> Result<Shell, String> {
        super::shell(clues)
    }

    #[test]
    fn unix_shells_come_from_shell() {
        assert_eq!(unix("/bin/bash"), Ok(Shell::Bash));
        assert_eq!(unix("/usr/local/bin/zsh"), Ok(Shell::Zsh));
        assert_eq!(unix("/opt/homebrew/bin/fish"), Ok(Shell::Fish));
        assert_eq!(unix("/bin/dash"), Ok(Shell::Sh));
        assert_eq!(unix("/bin/sh"), Ok(Shell::Sh));
        assert_eq!(unix("/bin/ksh"), Ok(Shell::Sh));
        assert_eq!(unix("-bash"), Ok(Shell::Bash));
        assert_eq!(unix("/usr/bin/pwsh"), Ok(Shell::Powershell));
        assert_eq!(unix("/bin/tcsh"), Err("tcsh".into()));
        assert_eq!(unix("/usr/bin/nu"), Err("nu".into()));
    }

    #[test]
    fn no_shell_on_unix_means_posix_sh() {
        assert_eq!(shell_of(Clues::default()), Ok(Shell::Sh));
        assert_eq!(shell_of(Clues { shell: Some(OsStr::new("")), ..Clues::default() }), Ok(Shell::Sh));
    }

    #[test]
    fn windows_tells_powershell_from_cmd() {
        let system =
            r"C:\Program Files\WindowsPowerShell\Modules;C:\WINDOWS\system32\WindowsPowerShell\v1.0\Modules";
        let user = format!(r"C:\Users\a\Documents\WindowsPowerShell\Modules;{system}");
        let win = |ps: Option<&str>| {
            shell_of(Clues { shell: None, ps_module_path: ps.map(OsStr::new), windows: true })
        };
        assert_eq!(win(Some(system)), Ok(Shell::Cmd));
        assert_eq!(win(None), Ok(Shell::Cmd));
        assert_eq!(win(Some(&user)), Ok(Shell::Powershell));
        // Git Bash sets SHELL, which wins.
        let git_bash = Clues {
            shell: Some(OsStr::new("/usr/bin/bash")),
            ps_module_path: Some(OsStr::new(&user)),
            windows: true,
        };
        assert_eq!(shell_of(git_bash), Ok(Shell::Bash));
        assert_eq!(
            shell_of(Clues { shell: Some(OsStr::new(r"C:\Windows\System32\cmd.exe")), ..Clues::default() }),
            Ok(Shell::Cmd)
        );
    }
}
