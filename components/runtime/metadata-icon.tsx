import {
  AppWindow, Box, Briefcase, Building2, Calendar, ChartBar, ClipboardList, Contact, Database, DollarSign, FileText,
  Folder, GraduationCap, Handshake, Heart, House, Inbox, Layers, LayoutGrid, LifeBuoy, Mail, Megaphone, Package,
  Receipt, Settings, ShoppingCart, Star, Target, Ticket, Truck, User, Users, Wrench, type LucideIcon,
} from "lucide-react";

/** The icons metadata may name (kebab-case lucide names); a bundled subset, no dynamic imports. */
const ICONS: Record<string, LucideIcon> = {
  "app-window": AppWindow, box: Box, briefcase: Briefcase, "building-2": Building2, building: Building2,
  calendar: Calendar, "chart-bar": ChartBar, "bar-chart": ChartBar, "clipboard-list": ClipboardList,
  contact: Contact, database: Database, "dollar-sign": DollarSign, "file-text": FileText, folder: Folder,
  "graduation-cap": GraduationCap, handshake: Handshake, heart: Heart, house: House, home: House, inbox: Inbox,
  layers: Layers, "layout-grid": LayoutGrid, "life-buoy": LifeBuoy, mail: Mail, megaphone: Megaphone,
  package: Package, receipt: Receipt, settings: Settings, "shopping-cart": ShoppingCart, star: Star,
  target: Target, ticket: Ticket, truck: Truck, user: User, users: Users, wrench: Wrench,
};

/** A lucide icon by its metadata name, falling back to `fallback` (an app window by default). */
export function MetadataIcon({ name, className, fallback = AppWindow }: { name?: string | null; className?: string; fallback?: LucideIcon }) {
  const Icon = (name && ICONS[name]) || fallback;
  return <Icon className={className} aria-hidden />;
}
