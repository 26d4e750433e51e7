"""Config flow: a vendor menu, OAuth2 for My Wi-Fi, keys for SmartWiFi and Wiwiz."""

from __future__ import annotations

from collections.abc import Mapping
import logging
import re
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_HOST
from homeassistant.core import callback
from homeassistant.data_entry_flow import AbortFlow, section
from homeassistant.helpers import config_entry_oauth2_flow
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import voluptuous as vol

from .api.errors import (
    GuestWifiError,
    InvalidHotspotError,
    InvalidRequestError,
    InvalidResponseError,
    RateLimitedError,
)
from .api.smartwifi import Environment
from .clients import smartwifi_client, wiwiz_answers_over_https, wiwiz_client
from .const import (
    CONF_ADD_NEW_HOTSPOTS,
    CONF_API_TOKEN,
    CONF_BASE_URL,
    CONF_CONSIDER_HOME,
    CONF_ENVIRONMENT,
    CONF_EXPOSE_CONTACT_DETAILS,
    CONF_FORGET_AFTER_DAYS,
    CONF_HOTSPOT_IDS,
    CONF_HOTSPOTS,
    CONF_HTTPS,
    CONF_LEFT_OUT,
    CONF_TRACK_GUESTS,
    CONF_USERKEY,
    CONF_VENDOR,
    DEFAULT_CONSIDER_HOME,
    DEFAULT_FORGET_AFTER_DAYS,
    DEFAULT_TRACK_GUESTS,
    DOMAIN,
    TRACK_ALL,
    TRACK_NONE,
    TRACK_RETURNING,
    VENDOR_MYWIFI,
    VENDOR_NAMES,
    VENDOR_SMARTWIFI,
    VENDOR_WIWIZ,
)
from .devices import entry_title, follow_title
from .errors import form_error

_LOGGER = logging.getLogger(__name__)

PASSWORD = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
# A collapsed section every user can open: the API address, which only
# white-label deployments and the simulator change.
SECTION_ADVANCED = "advanced"
_ID_SEPARATORS = re.compile(r"[\s,;]+")


def _numeric_first(ids: list[str]) -> list[str]:
    return sorted(ids, key=lambda value: (len(value), value))


def _smartwifi_schema(
    defaults: Mapping[str, Any], *, token_required: bool
) -> vol.Schema:
    token = vol.Required if token_required else vol.Optional
    return vol.Schema(
        {
            token(
                CONF_API_TOKEN, default=defaults.get(CONF_API_TOKEN, vol.UNDEFINED)
            ): PASSWORD,
            vol.Required(
                CONF_ENVIRONMENT,
                default=defaults.get(CONF_ENVIRONMENT, Environment.US_A.value),
            ): SelectSelector(
                SelectSelectorConfig(
                    options=[e.value for e in Environment],
                    translation_key=CONF_ENVIRONMENT,
                )
            ),
            vol.Optional(
                CONF_HOST, description={"suggested_value": defaults.get(CONF_HOST)}
            ): TextSelector(),
        }
    )


def _address_section(defaults: Mapping[str, Any]) -> dict[Any, Any]:
    """The API address field, in the collapsed advanced section."""
    return {
        vol.Optional(SECTION_ADVANCED): section(
            vol.Schema(
                {
                    vol.Optional(
                        CONF_BASE_URL,
                        description={"suggested_value": defaults.get(CONF_BASE_URL)},
                    ): TextSelector(TextSelectorConfig(type=TextSelectorType.URL))
                }
            ),
            {"collapsed": True},
        )
    }


def _flat_address(
    user_input: Mapping[str, Any], current: Mapping[str, Any]
) -> dict[str, Any]:
    """The input with the API address stored flat, as entries keep it.

    A section left out of the input keeps the current address; a submitted
    section sets it, or removes it when the field is empty.
    """
    data = {
        key: value
        for key, value in user_input.items()
        if key not in (SECTION_ADVANCED, CONF_BASE_URL)
    }
    if SECTION_ADVANCED in user_input:
        address = (user_input[SECTION_ADVANCED].get(CONF_BASE_URL) or "").strip()
    else:
        address = current.get(CONF_BASE_URL) or ""
    if address:
        data[CONF_BASE_URL] = address
    return data


def _wiwiz_schema(defaults: Mapping[str, Any], *, key_required: bool) -> vol.Schema:
    key = vol.Required if key_required else vol.Optional
    return vol.Schema(
        {
            key(
                CONF_USERKEY, default=defaults.get(CONF_USERKEY, vol.UNDEFINED)
            ): PASSWORD,
            vol.Required(
                CONF_HOTSPOT_IDS, default=defaults.get(CONF_HOTSPOT_IDS, vol.UNDEFINED)
            ): TextSelector(TextSelectorConfig(multiple=True)),
            **_address_section(defaults),
        }
    )


def _split_ids(typed: list[str] | str) -> list[str]:
    """The hotspot ids typed, one per field or several split by commas or spaces."""
    fields = [typed] if isinstance(typed, str) else typed
    return list(
        dict.fromkeys(h for field in fields for h in _ID_SEPARATORS.split(field) if h)
    )


class GuestWifiConfigFlow(
    config_entry_oauth2_flow.AbstractOAuth2FlowHandler, domain=DOMAIN
):
    """One flow for the three vendors; the OAuth2 base serves My Wi-Fi."""

    DOMAIN = DOMAIN
    VERSION = 1
    # 2: no devices for guest trackers; 3: no interval options, Wiwiz hotspot
    # names; 4: returning guests tracked; 5: whether new SmartWiFi hotspots
    # join by themselves (see async_migrate_entry).
    MINOR_VERSION = 5

    def __init__(self) -> None:
        """Start empty."""
        super().__init__()
        self._smartwifi: dict[str, Any] = {}
        self._wiwiz: dict[str, Any] = {}
        self._hotspot_choices: dict[str, str] = {}

    @property
    def logger(self) -> logging.Logger:
        """Where the OAuth2 base logs."""
        return _LOGGER

    @property
    def extra_authorize_data(self) -> dict[str, Any]:
        """My Wi-Fi grants what the scope asks for."""
        return {"scope": "READ WRITE"}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> GuestWifiOptionsFlow:
        """Tracking and privacy options."""
        return GuestWifiOptionsFlow()

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the vendor."""
        return self.async_show_menu(
            step_id="user", menu_options=[VENDOR_MYWIFI, VENDOR_SMARTWIFI, VENDOR_WIWIZ]
        )

    async def async_step_mywifi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """My Wi-Fi Service signs in with OAuth2 and application credentials."""
        return await self.async_step_pick_implementation()

    async def async_step_creation(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Core's step, with a token answer that holds no token as core's abort.

        Core calls invalid token data `oauth_error`; our implementation refuses
        more of it than core checks (see application_credentials.py).
        """
        try:
            return await super().async_step_creation(user_input)
        except InvalidResponseError as err:
            _LOGGER.warning("My Wi-Fi sign-in failed: %s", err)
            return self.async_abort(reason="oauth_error")

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Signed in to My Wi-Fi: create, or update the entry being re-authenticated.

        My Wi-Fi client credentials are issued for one account (the developer
        registers with the account's login), so the client id names the account
        without revealing anything secret.
        """
        client_id = getattr(self.flow_impl, "client_id", None) or self.flow_impl.domain
        await self.async_set_unique_id(f"{VENDOR_MYWIFI}_{client_id}")
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            self._abort_if_unique_id_mismatch(reason="wrong_account")
            return self.async_update_reload_and_abort(
                self._current_entry(), data_updates=data
            )
        self._abort_if_unique_id_configured()
        return self.async_create_entry(
            title=VENDOR_NAMES[VENDOR_MYWIFI], data={CONF_VENDOR: VENDOR_MYWIFI, **data}
        )

    # --- SmartWiFiPlatform ------------------------------------------------

    async def _smartwifi_hotspots(self, data: Mapping[str, Any]) -> dict[str, str]:
        """Check the token with a ping; return the account's hotspots."""
        client = smartwifi_client(self.hass, data)
        await client.ping()
        return {h.id: h.name for h in await client.hotspots()}

    async def _smartwifi_check(
        self, user_input: dict[str, Any]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Validate the form; return errors and, on success, the hotspots."""
        if (
            user_input[CONF_ENVIRONMENT] == Environment.CUSTOM
            and not user_input.get(CONF_HOST, "").strip()
        ):
            return {CONF_HOST: "host_required"}, {}
        try:
            hotspots = await self._smartwifi_hotspots(user_input)
        except InvalidRequestError:
            # The client could make no address of the host typed.
            return {CONF_HOST: "host_required"}, {}
        except GuestWifiError as err:
            return {"base": form_error(err)}, {}
        except Exception:
            _LOGGER.exception("Unexpected error checking the SmartWiFi token")
            return {"base": "unknown"}, {}
        if not hotspots:
            return {"base": "no_hotspots"}, {}
        return {}, hotspots

    async def async_step_smartwifi(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Token and environment; on reconfigure an empty token keeps the stored one."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                **user_input,
                CONF_API_TOKEN: self._secret(user_input, CONF_API_TOKEN),
            }
            errors, hotspots = await self._smartwifi_check(data)
            if not errors:
                if self.source == SOURCE_RECONFIGURE:
                    if self._anchor() not in hotspots:
                        return self.async_abort(reason="wrong_account")
                else:
                    await self._abort_if_account_known(VENDOR_SMARTWIFI, hotspots)
                self._smartwifi = {CONF_VENDOR: VENDOR_SMARTWIFI, **data}
                self._hotspot_choices = hotspots
                return await self.async_step_smartwifi_hotspots()
        return self.async_show_form(
            step_id=VENDOR_SMARTWIFI,
            data_schema=_smartwifi_schema(
                user_input or self._entry_data(),
                token_required=self.source != SOURCE_RECONFIGURE,
            ),
            errors=errors,
        )

    async def async_step_smartwifi_hotspots(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which hotspots to bring in (all by default), and whether new ones join.

        New hotspots join by themselves unless the owner says not: what a
        new entry does, and on reconfigure what the entry did. Hotspots left
        unticked are remembered, so they never join by themselves.
        """
        errors: dict[str, str] = {}
        if user_input is not None:
            chosen = user_input[CONF_HOTSPOTS]
            if chosen:
                data = {
                    **self._smartwifi,
                    CONF_HOTSPOTS: {h: self._hotspot_choices[h] for h in chosen},
                    CONF_ADD_NEW_HOTSPOTS: user_input[CONF_ADD_NEW_HOTSPOTS],
                    CONF_LEFT_OUT: [
                        h for h in self._hotspot_choices if h not in chosen
                    ],
                }
                return self._finish(data, "SmartWiFi")
            errors["base"] = "no_hotspots"
        previous = self._entry_data().get(CONF_HOTSPOTS)
        add_new = self._entry_data().get(CONF_ADD_NEW_HOTSPOTS, True)
        default = [
            h for h in previous or self._hotspot_choices if h in self._hotspot_choices
        ]
        return self.async_show_form(
            step_id="smartwifi_hotspots",
            data_schema=vol.Schema(
                {
                    vol.Required(
                        CONF_HOTSPOTS, default=default or list(self._hotspot_choices)
                    ): SelectSelector(
                        SelectSelectorConfig(
                            options=[
                                SelectOptionDict(value=h, label=name)
                                for h, name in self._hotspot_choices.items()
                            ],
                            multiple=True,
                            mode=SelectSelectorMode.LIST,
                        )
                    ),
                    vol.Required(
                        CONF_ADD_NEW_HOTSPOTS, default=add_new
                    ): BooleanSelector(),
                }
            ),
            errors=errors,
        )

    # --- Wiwiz --------------------------------------------------------------

    async def _wiwiz_check(
        self, user_input: Mapping[str, Any]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Ask Wiwiz for each hotspot's WAN IP: a cheap proof of key and id.

        Return the errors and, for an unknown id, which one.
        """
        client = wiwiz_client(self.hass, user_input)
        for hotspot_id in user_input[CONF_HOTSPOT_IDS]:
            try:
                await client.wan_ip(hotspot_id)
            except GuestWifiError as err:
                if (error := form_error(err)) == "invalid_hotspot":
                    return {CONF_HOTSPOT_IDS: error}, {"hotspot_id": hotspot_id}
                return {"base": error}, {}
            except Exception:
                _LOGGER.exception("Unexpected error checking the Wiwiz user key")
                return {"base": "unknown"}, {}
        return {}, {}

    async def async_step_wiwiz(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """User key, hotspot ids and, in the advanced section, the API address.

        On reconfigure an empty key keeps the stored one.
        """
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"hotspot_id": ""}
        shown: Mapping[str, Any] = self._entry_data()
        if user_input is not None:
            ids = _split_ids(user_input[CONF_HOTSPOT_IDS])
            # What the form shows again: the key only as typed, never the stored one.
            shown = {**_flat_address(user_input, shown), CONF_HOTSPOT_IDS: ids}
            data = {**shown, CONF_USERKEY: self._secret(user_input, CONF_USERKEY)}
            if not ids:
                errors[CONF_HOTSPOT_IDS] = "hotspot_ids_required"
            elif self.source == SOURCE_RECONFIGURE:
                data = await self._wiwiz_scheme(data)
                if await self._wiwiz_other_account(data):
                    return self.async_abort(reason="wrong_account")
                errors, found = await self._wiwiz_check(data)
                placeholders.update(found)
            else:
                data = await self._wiwiz_scheme(data)
                errors, found = await self._wiwiz_check(data)
                placeholders.update(found)
                if not errors:
                    await self._abort_if_account_known(VENDOR_WIWIZ, ids)
            if not errors:
                self._wiwiz = {CONF_VENDOR: VENDOR_WIWIZ, **data}
                return await self.async_step_wiwiz_names()
        return self.async_show_form(
            step_id=VENDOR_WIWIZ,
            data_schema=_wiwiz_schema(
                shown, key_required=self.source != SOURCE_RECONFIGURE
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_wiwiz_names(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """A name for each hotspot: Wiwiz has none to give (default: the id)."""
        ids: list[str] = self._wiwiz[CONF_HOTSPOT_IDS]
        if user_input is not None:
            names = {h: str(user_input.get(h) or "").strip() or h for h in ids}
            return self._finish({**self._wiwiz, CONF_HOTSPOTS: names}, "Wiwiz")
        known = self._entry_data().get(CONF_HOTSPOTS) or {}
        return self.async_show_form(
            step_id="wiwiz_names",
            data_schema=vol.Schema(
                {
                    vol.Optional(
                        h, description={"suggested_value": known.get(h, h)}
                    ): TextSelector()
                    for h in ids
                }
            ),
        )

    async def _wiwiz_scheme(self, data: dict[str, Any]) -> dict[str, Any]:
        """The input and whether Wiwiz is asked over HTTPS (`CONF_HTTPS`).

        HTTPS when Wiwiz answers there, else the documented http://. A typed
        address is used as typed. An entry already on HTTPS stays there: the
        key is not sent in clear text because HTTPS fails today.
        """
        if data.get(CONF_BASE_URL):
            return data
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE) and (
            self._current_entry().data.get(CONF_HTTPS)
        ):
            return {**data, CONF_HTTPS: True}
        try:
            https = await wiwiz_answers_over_https(self.hass, data)
        except RateLimitedError:
            https = True  # Wiwiz is there and busy: the check says so
        except Exception:  # noqa: BLE001
            # Not a verdict on HTTPS, and no reason to send the key in clear
            # text: the check that follows reports the failure on the form.
            https = True
        return {**data, CONF_HTTPS: https}

    async def _wiwiz_other_account(self, user_input: Mapping[str, Any]) -> bool:
        """Whether the new key is another account's: it cannot see our anchor hotspot."""
        client = wiwiz_client(self.hass, user_input)
        try:
            await client.wan_ip(self._anchor())
        except InvalidHotspotError:
            return True
        except Exception:  # noqa: BLE001
            # Not a verdict on the account: the full check that follows
            # reports the failure on the form.
            return False
        return False

    async def _abort_if_account_known(self, vendor: str, hotspot_ids: Any) -> None:
        """Abort when an entry already holds one of these hotspots.

        Neither vendor names the account itself, so an account is known by its
        hotspots: the entry's unique id is the first hotspot it was set up
        with (its anchor), and any hotspot shared with an entry of the same
        vendor means the same account.
        """
        ids = set(hotspot_ids)
        for entry in self._async_current_entries(include_ignore=False):
            if entry.data.get(CONF_VENDOR) != vendor:
                continue
            held = set(
                entry.data.get(CONF_HOTSPOT_IDS) or entry.data.get(CONF_HOTSPOTS) or ()
            )
            anchor = (entry.unique_id or "").removeprefix(f"{vendor}_")
            if ids & (held | {anchor}):
                raise AbortFlow("already_configured")
        await self.async_set_unique_id(f"{vendor}_{_numeric_first(list(ids))[0]}")
        self._abort_if_unique_id_configured()

    def _anchor(self) -> str:
        """The hotspot id the entry being changed is known by."""
        entry = self._current_entry()
        return (entry.unique_id or "").removeprefix(f"{entry.data[CONF_VENDOR]}_")

    # --- Re-authentication and reconfiguration --------------------------------

    def _current_entry(self) -> ConfigEntry:
        if self.source == SOURCE_REAUTH:
            return self._get_reauth_entry()
        return self._get_reconfigure_entry()

    def _entry_data(self) -> Mapping[str, Any]:
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            data = dict(self._current_entry().data)
            # A secret is typed again, never shown back.
            data.pop(CONF_API_TOKEN, None)
            data.pop(CONF_USERKEY, None)
            return data
        return {}

    def _secret(self, user_input: Mapping[str, Any], field: str) -> str:
        """The key or token typed; on reconfigure, left empty, the stored one."""
        typed = str(user_input.get(field) or "").strip()
        if not typed and self.source == SOURCE_RECONFIGURE:
            return str(self._current_entry().data[field])
        return typed

    def _finish(self, data: dict[str, Any], vendor_title: str) -> ConfigFlowResult:
        """Create the entry, or update the one being reconfigured."""
        names = data[CONF_HOTSPOTS].values()
        if self.source != SOURCE_RECONFIGURE:
            return self.async_create_entry(
                title=entry_title(vendor_title, names), data=data
            )
        entry = self._current_entry()
        old = entry.data.get(CONF_HOTSPOTS) or {
            h: h for h in entry.data.get(CONF_HOTSPOT_IDS, ())
        }
        self._renew_shared_secret(entry, data)
        return self.async_update_reload_and_abort(
            entry,
            data=data,
            title=follow_title(entry.title, vendor_title, old.values(), names),
        )

    def _renew_shared_secret(self, entry: ConfigEntry, data: Mapping[str, Any]) -> None:
        """Give our other entries that had the entry's old key the new one.

        A key or token serves a whole account, and an owner may split one
        account into entries (a venue each): when it changes they all stop,
        and the key typed once in any of them renews them all. Each is
        reloaded, which also ends its own re-authentication. Entries with
        another key (another account) are left alone.
        """
        vendor = entry.data[CONF_VENDOR]
        field = CONF_API_TOKEN if vendor == VENDOR_SMARTWIFI else CONF_USERKEY
        old, new = entry.data.get(field), data.get(field)
        if not old or not new or old == new:
            return
        for other in self._async_current_entries(include_ignore=False):
            if (
                other.entry_id != entry.entry_id
                and other.data.get(CONF_VENDOR) == vendor
                and other.data.get(field) == old
            ):
                self.hass.config_entries.async_update_entry(
                    other, data={**other.data, field: new}
                )
                self.hass.config_entries.async_schedule_reload(other.entry_id)

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The vendor refused the stored credentials: ask for them again."""
        if entry_data[CONF_VENDOR] == VENDOR_MYWIFI:
            return await self.async_step_pick_implementation()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Only the refused key or token; everything else stays as it is."""
        entry = self._get_reauth_entry()
        smartwifi = entry.data[CONF_VENDOR] == VENDOR_SMARTWIFI
        secret = CONF_API_TOKEN if smartwifi else CONF_USERKEY
        errors: dict[str, str] = {}
        placeholders = {"account": entry.title, "hotspot_id": ""}
        if user_input is not None:
            data = {**entry.data, secret: user_input[secret].strip()}
            if smartwifi:
                errors, hotspots = await self._smartwifi_check(data)
                if not errors:
                    if self._anchor() not in hotspots:
                        return self.async_abort(reason="wrong_account")
                    # The hotspots the user chose, under their names now.
                    kept = {
                        h: hotspots[h] for h in data[CONF_HOTSPOTS] if h in hotspots
                    }
                    self._renew_shared_secret(entry, data)
                    return self.async_update_reload_and_abort(
                        entry, data={**data, CONF_HOTSPOTS: kept or hotspots}
                    )
            else:
                data = await self._wiwiz_scheme(data)
                if await self._wiwiz_other_account(data):
                    return self.async_abort(reason="wrong_account")
                errors, found = await self._wiwiz_check(data)
                placeholders.update(found)
                # No hotspot field here: a hotspot gone from the account is
                # said above the key (reconfigure removes it).
                errors = {
                    "base" if k == CONF_HOTSPOT_IDS else k: v for k, v in errors.items()
                }
                if not errors:
                    self._renew_shared_secret(entry, data)
                    return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=vol.Schema({vol.Required(secret): PASSWORD}),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the credentials, environment, hotspots or their names."""
        return await self._vendor_step(self._get_reconfigure_entry().data[CONF_VENDOR])

    async def _vendor_step(self, vendor: str) -> ConfigFlowResult:
        if vendor == VENDOR_SMARTWIFI:
            return await self.async_step_smartwifi()
        if vendor == VENDOR_WIWIZ:
            return await self.async_step_wiwiz()
        return await self.async_step_pick_implementation()


class GuestWifiOptionsFlow(OptionsFlowWithReload):
    """Guest tracking and privacy; My Wi-Fi's API address.

    Polling intervals are fixed in code (see const.py). New options reload
    the entry; a refreshed OAuth2 token (new entry data) does not.
    """

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form for every option."""
        options = self.config_entry.options
        vendor = self.config_entry.data[CONF_VENDOR]
        if user_input is not None:
            if vendor == VENDOR_MYWIFI:
                user_input = _flat_address(user_input, options)
            return self.async_create_entry(data=user_input)
        fields = (
            _address_section(options)
            if vendor == VENDOR_MYWIFI
            else _guest_options(options)
        )
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema(fields),
            description_placeholders={"account": self.config_entry.title},
        )


def _guest_options(options: Mapping[str, Any]) -> dict[Any, Any]:
    """Tracking and privacy: for vendors that report guests."""
    return {
        vol.Required(
            CONF_TRACK_GUESTS,
            default=options.get(CONF_TRACK_GUESTS, DEFAULT_TRACK_GUESTS),
        ): SelectSelector(
            SelectSelectorConfig(
                options=[TRACK_RETURNING, TRACK_ALL, TRACK_NONE],
                translation_key=CONF_TRACK_GUESTS,
            )
        ),
        vol.Required(
            CONF_CONSIDER_HOME,
            default=options.get(CONF_CONSIDER_HOME, DEFAULT_CONSIDER_HOME),
        ): NumberSelector(
            NumberSelectorConfig(
                min=0,
                max=86400,
                unit_of_measurement="s",
                mode=NumberSelectorMode.BOX,
            )
        ),
        vol.Required(
            CONF_FORGET_AFTER_DAYS,
            default=options.get(CONF_FORGET_AFTER_DAYS, DEFAULT_FORGET_AFTER_DAYS),
        ): NumberSelector(
            NumberSelectorConfig(
                min=1,
                max=3650,
                unit_of_measurement="d",
                mode=NumberSelectorMode.BOX,
            )
        ),
        vol.Required(
            CONF_EXPOSE_CONTACT_DETAILS,
            default=options.get(CONF_EXPOSE_CONTACT_DETAILS, False),
        ): BooleanSelector(),
    }
