"""The subcommands about accounts: create-admin, rotate-totp-key, unlock-login."""

from __future__ import annotations

import argparse
import sys


def cmd_create_admin(args: argparse.Namespace) -> int:
    from renaksi.accounts.security import AccountExists, create_site_admin

    try:
        username, password = create_site_admin(args.username)
    except AccountExists as error:
        print(f"renaksi create-admin: {error}", file=sys.stderr)
        return 2
    print(
        f"Admin situs {username!r} dibuat. Kata sandi sementara (ditampilkan sekali, wajib diganti saat masuk):"
    )
    print(password)
    return 0


def cmd_rotate_totp_key(args: argparse.Namespace) -> int:
    """Re-encrypt every authenticator secret with the first key of RENAKSI_SECRET_KEY_TOTP (or,
    with --new-key, print a new key to put first). See docs/security.md."""
    from renaksi.accounts import totp_keys

    if args.new_key:
        print("Kunci baru (taruh paling depan di RENAKSI_SECRET_KEY_TOTP, kunci lama di belakangnya):")
        print(totp_keys.new_key())
        return 0
    try:
        count = totp_keys.rotate_all()
    except totp_keys.TotpKeyError as error:
        print(f"renaksi rotate-totp-key: {error}", file=sys.stderr)
        return 2
    print(f"{count} rahasia autentikator dienkripsi ulang dengan kunci pertama.")
    return 0


def cmd_unlock_login(args: argparse.Namespace) -> int:
    """Forget the failed logins of an account (from every address) and/or of an address: the way
    in for a site admin whose own address is slowed down (docs/security.md)."""
    from renaksi.accounts import throttle

    if not args.username and not args.address:
        print("renaksi unlock-login: beri --username dan/atau --address", file=sys.stderr)
        return 2
    if args.username:
        count = throttle.clear_failures(args.username)
        print(f"Akun {args.username!r} dibuka dari semua alamat ({count} kegagalan dilupakan).")
    if args.address:
        count = throttle.unlock_address(args.address)
        print(f"Alamat {args.address} dibuka ({count} kegagalan dilupakan).")
    return 0
